// Register addresses as technicians write them: Modicon notation (40001 = first holding register,
// 30001 input, 10001 discrete input, 00001 coil; six digits for 400001-465536), one-based, or the
// zero-based protocol address. Every device manual uses one of these; PlantDesk stores zero-based.
import type { PointFunction } from './devices.ts';

export const ADDRESS_STYLES = ['modicon', 'oneBased', 'zeroBased'] as const;
export type AddressStyle = (typeof ADDRESS_STYLES)[number];

/** A failure carries an English reason (logs, tests) and a message key of shared/i18n with its parameters. */
export type ParsedAddress =
  | { ok: true; function: PointFunction; address: number }
  | { ok: false; reason: string; key: string; params: Record<string, string | number> };

const failure = (reason: string, key: string, params: Record<string, string | number> = {}): ParsedAddress => ({ ok: false, reason, key, params });

const PREFIX_FUNCTION: Record<string, PointFunction> = { '0': 'coil', '1': 'discrete', '3': 'input', '4': 'holding' };
const FUNCTION_PREFIX: Record<PointFunction, string> = { coil: '0', discrete: '1', input: '3', holding: '4' };

/**
 * Reads an address as typed in a register map. In Modicon notation the leading digit names the
 * function; otherwise `fallbackFunction` applies. Hex (0x10) is accepted for zero- and one-based.
 * @example parseAddress('40001', 'modicon') // { ok: true, function: 'holding', address: 0 }
 * @example parseAddress('100', 'oneBased', 'input') // { ok: true, function: 'input', address: 99 }
 */
export function parseAddress(text: string, style: AddressStyle, fallbackFunction: PointFunction = 'holding'): ParsedAddress {
  const trimmed = text.trim().replace(/[_\s]/g, '');
  if (trimmed === '') return failure('the address is empty', 'address.empty');
  if (style === 'modicon') {
    if (!/^\d{5,6}$/.test(trimmed)) {
      return failure(`"${text}" is not a 5- or 6-digit Modicon address such as 40001 or 400001`, 'address.notModicon', { text });
    }
    const fn = PREFIX_FUNCTION[trimmed[0]!];
    if (!fn) return failure(`"${text}" starts with ${trimmed[0]}; Modicon addresses start with 0, 1, 3 or 4`, 'address.badPrefix', { text, digit: trimmed[0]! });
    const register = Number(trimmed.slice(1));
    const range = `${FUNCTION_PREFIX[fn]}0001-${FUNCTION_PREFIX[fn]}65536`;
    if (register < 1 || register > 65536) return failure(`"${text}" is outside ${range}`, 'address.outOfRange', { text, range });
    return { ok: true, function: fn, address: register - 1 };
  }
  const value = /^0x[0-9a-f]+$/i.test(trimmed) ? Number.parseInt(trimmed, 16) : /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(value)) return failure(`"${text}" is not a whole number`, 'address.notWhole', { text });
  const address = style === 'oneBased' ? value - 1 : value;
  if (address < 0 || address > 65535) {
    const range = style === 'oneBased' ? '1-65536' : '0-65535';
    return failure(`"${text}" is outside ${range}`, 'address.outOfRange', { text, range });
  }
  return { ok: true, function: fallbackFunction, address };
}

/** Writes a zero-based address in the given style. */
export function formatAddress(fn: PointFunction, address: number, style: AddressStyle): string {
  if (style === 'zeroBased') return String(address);
  if (style === 'oneBased') return String(address + 1);
  const register = address + 1;
  return register <= 9999 ? `${FUNCTION_PREFIX[fn]}${String(register).padStart(4, '0')}` : `${FUNCTION_PREFIX[fn]}${String(register).padStart(5, '0')}`;
}
