// Register map files in the browser: a chosen file's bytes as base64 for points.importMap, an
// exported file's base64 back to bytes, and what a check of an import says in numbers.
import type { MapProblem } from '../../../../shared/contract/device-calls.ts';

/** File types the import accepts, for the file picker. */
export const MAP_FILE_ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** True for names the import can read (the core reads .xlsx as Excel, anything else as CSV). */
export function isMapFileName(name: string): boolean {
  return /\.(csv|xlsx)$/i.test(name);
}

/** The base64 part of a data: URL as FileReader.readAsDataURL gives it. */
export function base64FromDataUrl(dataUrl: string): string {
  const comma = dataUrl.indexOf(',');
  return comma >= 0 ? dataUrl.slice(comma + 1) : dataUrl;
}

/** Bytes of a base64 string (an exported register map). */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Base64 of bytes, in chunks so large files do not overflow the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

export interface ImportSummary {
  goodRows: number;
  problems: number;
  /** Rows of the file with at least one problem. */
  badRows: number;
  /** Nothing to complain about: "Import" may run. */
  clean: boolean;
}

/** What a check says: good rows, problems, and whether the whole file may be imported. */
export function summariseCheck(result: { points: readonly unknown[]; problems: readonly MapProblem[] }): ImportSummary {
  // Warnings (an ignored column) are shown but do not stop an import.
  const errors = result.problems.filter((problem) => problem.severity !== 'warning');
  const badRows = new Set(errors.map((problem) => problem.row)).size;
  return {
    goodRows: result.points.length,
    problems: errors.length,
    badRows,
    clean: errors.length === 0 && result.points.length > 0,
  };
}
