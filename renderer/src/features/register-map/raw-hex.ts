// Raw registers as Modbus Poll shows them, so a technician can see which word order a value needs:
// registers as four hex digits ("41C8 0000"), coils and discrete inputs as 0/1.
import type { PointFunction } from '../../../../shared/domain/devices.ts';

/**
 * @example formatRaw([0x41c8, 0], 'holding') // → '41C8 0000'
 * @example formatRaw([1], 'coil')             // → '1'
 */
export function formatRaw(raw: readonly number[] | null, fn: PointFunction): string {
  if (!raw || raw.length === 0) return '';
  if (fn === 'coil' || fn === 'discrete') return raw.map((bit) => (bit ? '1' : '0')).join(' ');
  return raw.map((word) => (word & 0xffff).toString(16).toUpperCase().padStart(4, '0')).join(' ');
}
