// The unit-id scan: the request from the dialog's fields, checked like the contract checks it, and
// the progress events folded into what the dialog shows (events may arrive before the call returns).
import type { ScanProgress } from '../../../../shared/contract/device-calls.ts';
import type { CallInput } from '../../../../shared/contract/calls.ts';
import type { PointFunction } from '../../../../shared/domain/devices.ts';
import { parseNumberText, type FieldErrors } from '../../validation/schema-errors.ts';
import { formToCheckedConnection, type ConnectionForm } from '../device-editor/device-form.ts';

/** Baud rates a serial scan can try, as Modbus Poll and most meters offer them. */
export const SCAN_BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

export interface ScanForm {
  connection: ConnectionForm;
  fromUnit: string;
  toUnit: string;
  timeoutMs: string;
  probeFunction: PointFunction;
  probeAddress: string;
  baudRates: number[];
}

export type ScanRequest = CallInput<'devices.scanUnits'>;

const wholeIn = (text: string, min: number, max: number, field: string, errors: FieldErrors): number => {
  const parsed = parseNumberText(text);
  if (!parsed.ok) errors[field] = parsed.error;
  else if (!Number.isInteger(parsed.value) || parsed.value < min || parsed.value > max) errors[field] = { key: 'form.wholeRange', params: { min, max } };
  return parsed.ok ? parsed.value : Number.NaN;
};

/** The devices.scanUnits input, or the problem of each field. */
export function scanRequest(form: ScanForm): { ok: true; request: ScanRequest } | { ok: false; errors: FieldErrors } {
  const connection = formToCheckedConnection(form.connection);
  const errors: FieldErrors = { ...connection.errors };
  const fromUnit = wholeIn(form.fromUnit, 0, 255, 'fromUnit', errors);
  const toUnit = wholeIn(form.toUnit, 0, 255, 'toUnit', errors);
  const timeoutMs = wholeIn(form.timeoutMs, 50, 5000, 'timeoutMs', errors);
  const address = wholeIn(form.probeAddress, 0, 65535, 'probeAddress', errors);
  if (!errors.fromUnit && !errors.toUnit && toUnit < fromUnit) errors.toUnit = { key: 'scan.toBeforeFrom' };
  const serial = form.connection.kind === 'rtu';
  if (serial && form.baudRates.length === 0) errors.baudRates = { key: 'scan.pickBaudRate' };
  if (!connection.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      connection: connection.value,
      fromUnit,
      toUnit,
      timeoutMs,
      probe: { function: form.probeFunction, address },
      ...(serial ? { baudRates: [...form.baudRates].sort((a, b) => a - b) } : {}),
    },
  };
}

/** The newer of two progress reports of one scan (events can overtake each other in a reconnect). */
export function laterProgress(current: ScanProgress | undefined, next: ScanProgress): ScanProgress {
  if (!current || current.scanId !== next.scanId) return next;
  if (current.finished && !next.finished) return current;
  return next.done >= current.done || next.finished ? next : current;
}

/** How far the scan is, 0 to 100. */
export function scanPercent(progress: Pick<ScanProgress, 'done' | 'total'> | undefined): number {
  if (!progress || progress.total <= 0) return 0;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}
