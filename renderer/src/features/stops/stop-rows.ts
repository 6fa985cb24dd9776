// What the stop list shows, worked out apart from React: the stops of the shift with the current one
// on top and the rest newest first, what kind each is (planned, unplanned, short), and each reason's
// name in the UI language from the machine's reason catalogue.
import type { StopView } from '../../../../shared/contract/kpi-calls.ts';
import type { StopReason } from '../../../../shared/domain/machines.ts';
import { UNASSIGNED_REASON } from '../../../../shared/domain/machines.ts';

/** How a stop counts in the losses. */
export type StopKind = 'planned' | 'unplanned' | 'micro';

/** A stop as a row of the list, with the machine's name beside it. */
export interface StopRow extends StopView {
  machineName: string;
  kind: StopKind;
}

/**
 * A stop is short (micro) when the engine says so; planned when its reason is a planned one, or when
 * none of it fell in planned production time (a break, a night off); unplanned otherwise.
 */
export function stopKind(stop: Pick<StopView, 'micro' | 'reason' | 'plannedMs' | 'durationMs'>, reasons: readonly StopReason[]): StopKind {
  if (stop.micro) return 'micro';
  const reason = reasons.find((candidate) => candidate.code === stop.reason);
  if (reason?.planned) return 'planned';
  if (stop.durationMs > 0 && stop.plannedMs === 0) return 'planned';
  return 'unplanned';
}

/**
 * The rows of the list: open stops first (the stop going on now), then the others newest first.
 * @example sortStopRows([{ start: 1, open: false }, { start: 2, open: false }, { start: 0, open: true }]) // → starts 0, 2, 1
 */
export function sortStopRows<Row extends Pick<StopView, 'start' | 'open'>>(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => Number(b.open) - Number(a.open) || b.start - a.start);
}

/** The list of every machine's stops as rows. */
export function stopRows(
  lists: readonly { machineId: string; machineName: string; stops: readonly StopView[]; reasons: readonly StopReason[] }[],
): StopRow[] {
  return sortStopRows(lists.flatMap((list) => list.stops.map((stop) => ({ ...stop, machineName: list.machineName, kind: stopKind(stop, list.reasons) }))));
}

/** A reason's name in the UI language; the code itself when the catalogue no longer has it; null for no reason. */
export function reasonName(code: string | null, reasons: readonly StopReason[], locale: string): string | null {
  if (code === null || code === UNASSIGNED_REASON) return null;
  const reason = reasons.find((candidate) => candidate.code === code);
  if (!reason) return code;
  return locale.startsWith('zh') ? reason.zh : reason.en;
}

/** A row's key: a stop is known by its machine and its start. */
export const stopKey = (stop: Pick<StopView, 'machineId' | 'start'>): string => `${stop.machineId}@${stop.start}`;

/**
 * A duration as the list shows it: "45 s", "12 min", "2 h 05 min".
 * @example formatStopDuration(7_500_000) // → '2 h 05 min'
 */
export function formatStopDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
