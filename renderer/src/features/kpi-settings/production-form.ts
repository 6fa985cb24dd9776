// Settings → Production as forms edit it, apart from React: numbers and lists of state codes typed as
// text, weekdays toggled, new shifts, machines and tariff bands that are valid from the start, and the
// machine form turned back into what kpis.setMachines takes (with each field's problem, as a message
// key). What only the core can judge — overlapping shifts, points of the wrong kind — it says itself.
import type { Shift, ShiftBreak } from '../../../../shared/domain/calendar.ts';
import type { TariffBandSpan } from '../../../../shared/domain/kpis.ts';
import type { Machine } from '../../../../shared/domain/machines.ts';

/**
 * State codes typed as "1, 3 4" as numbers; null when one of them is not a number.
 * @example parseNumberList('1, 3 4') // → [1, 3, 4]
 */
export function parseNumberList(text: string): number[] | null {
  const parts = text.split(/[\s,;，]+/).filter((part) => part !== '');
  const values = parts.map(Number);
  return values.every((value, index) => Number.isFinite(value) && /^-?\d+(\.\d+)?$/.test(parts[index]!)) ? values : null;
}

export const formatNumberList = (values: readonly number[]): string => values.join(', ');

/** The weekdays (1 Monday … 7 Sunday) with `day` switched on or off, in order; the last one stays on. */
export function toggleWeekday(weekdays: readonly number[], day: number): number[] {
  if (weekdays.includes(day)) return weekdays.length === 1 ? [...weekdays] : weekdays.filter((candidate) => candidate !== day);
  return [...weekdays, day].sort((a, b) => a - b);
}

/**
 * An id no other item has: "shift-2", "cnc-3", …
 * @example freeId('shift', ['shift-1']) // → 'shift-2'
 */
export function freeId(prefix: string, taken: readonly string[]): string {
  for (let number = 1; ; number++) if (!taken.includes(`${prefix}-${number}`)) return `${prefix}-${number}`;
}

/** A new shift after the others: 8 hours every day from where the last one ends. */
export function newShift(shifts: readonly Shift[], name: string): Shift {
  const start = shifts.at(-1)?.end ?? '08:00';
  const hour = (Number(start.slice(0, 2)) + 8) % 24;
  return { id: freeId('shift', shifts.map((shift) => shift.id)), name, start, end: `${String(hour).padStart(2, '0')}${start.slice(2)}`, weekdays: [1, 2, 3, 4, 5, 6, 7], breaks: [] };
}

/** A new 30-minute break in the middle of the shift's first hours. */
export function newBreak(shift: Shift): ShiftBreak {
  const hour = (Number(shift.start.slice(0, 2)) + 4) % 24;
  const text = String(hour).padStart(2, '0');
  return { start: `${text}:00`, end: `${text}:30`, name: '' };
}

export function newBand(bands: readonly TariffBandSpan[]): TariffBandSpan {
  return { band: bands.length === 0 ? 'peak' : 'flat', start: '08:00', end: '11:00', months: [] };
}

/** The machine as the form edits it: numbers and state codes as typed text, optional points as ''. */
export interface MachineForm {
  id: string;
  name: string;
  deviceId: string;
  stateTag: string;
  runningStates: string;
  idleStates: string;
  alarmStates: string;
  partCounter: string;
  /** Which second counter the machine has: scrapped parts, good parts, or none. */
  secondCounter: 'none' | 'scrap' | 'good';
  secondCounterPoint: string;
  partsPerCount: string;
  idealCycleTimeS: string;
  microStopS: string;
  meterKind: 'none' | 'energy' | 'power';
  meterPoint: string;
}

export type MachineField = keyof MachineForm;
export type MachineProblems = Partial<Record<MachineField, string>>;

export function machineToForm(machine: Machine): MachineForm {
  return {
    id: machine.id,
    name: machine.name,
    deviceId: machine.deviceId,
    stateTag: machine.stateTag,
    runningStates: formatNumberList(machine.runningStates),
    idleStates: formatNumberList(machine.idleStates),
    alarmStates: formatNumberList(machine.alarmStates),
    partCounter: machine.partCounter,
    secondCounter: machine.scrapCounter !== undefined ? 'scrap' : machine.goodCounter !== undefined ? 'good' : 'none',
    secondCounterPoint: machine.scrapCounter ?? machine.goodCounter ?? '',
    partsPerCount: String(machine.partsPerCount),
    idealCycleTimeS: String(machine.idealCycleTimeS),
    microStopS: String(machine.microStopS),
    meterKind: machine.meter?.kind ?? 'none',
    meterPoint: machine.meter?.pointId ?? '',
  };
}

/** A new machine on a device: states 1 running, 0 idle, 2 alarm as the demo plant has them. */
export function newMachineForm(taken: readonly string[], deviceId: string, name: string): MachineForm {
  return {
    id: freeId('machine', taken),
    name,
    deviceId,
    stateTag: '',
    runningStates: '1',
    idleStates: '0',
    alarmStates: '2',
    partCounter: '',
    secondCounter: 'none',
    secondCounterPoint: '',
    partsPerCount: '1',
    idealCycleTimeS: '60',
    microStopS: '120',
    meterKind: 'none',
    meterPoint: '',
  };
}

function positive(text: string): number | null {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * The machine to save, or each field's problem as a message key of shared/i18n.
 * @example formToMachine({ ...form, idealCycleTimeS: '0' }) // → { ok: false, problems: { idealCycleTimeS: 'production.problem.positive' } }
 */
export function formToMachine(form: MachineForm): { ok: true; machine: Machine } | { ok: false; problems: MachineProblems } {
  const problems: MachineProblems = {};
  if (!/^[A-Za-z0-9_.-]+$/.test(form.id)) problems.id = 'production.problem.id';
  if (form.name.trim() === '') problems.name = 'production.problem.required';
  if (form.deviceId === '') problems.deviceId = 'production.problem.required';
  if (form.stateTag === '') problems.stateTag = 'production.problem.required';
  if (form.partCounter === '') problems.partCounter = 'production.problem.required';
  const running = parseNumberList(form.runningStates);
  const idle = parseNumberList(form.idleStates);
  const alarm = parseNumberList(form.alarmStates);
  if (running === null || running.length === 0) problems.runningStates = 'production.problem.stateCodes';
  if (idle === null) problems.idleStates = 'production.problem.stateCodes';
  if (alarm === null) problems.alarmStates = 'production.problem.stateCodes';
  const partsPerCount = positive(form.partsPerCount);
  const idealCycleTimeS = positive(form.idealCycleTimeS);
  const microStopS = Number(form.microStopS.trim());
  if (partsPerCount === null) problems.partsPerCount = 'production.problem.positive';
  if (idealCycleTimeS === null) problems.idealCycleTimeS = 'production.problem.positive';
  if (form.microStopS.trim() === '' || !Number.isFinite(microStopS) || microStopS < 0 || microStopS > 3600) problems.microStopS = 'production.problem.microStop';
  if (form.secondCounter !== 'none' && form.secondCounterPoint === '') problems.secondCounterPoint = 'production.problem.required';
  if (form.meterKind !== 'none' && form.meterPoint === '') problems.meterPoint = 'production.problem.required';
  if (Object.keys(problems).length > 0 || running === null || idle === null || alarm === null || partsPerCount === null || idealCycleTimeS === null) {
    return { ok: false, problems };
  }
  const machine: Machine = {
    id: form.id,
    name: form.name.trim(),
    deviceId: form.deviceId,
    stateTag: form.stateTag,
    runningStates: running,
    idleStates: idle,
    alarmStates: alarm,
    partCounter: form.partCounter,
    partsPerCount,
    idealCycleTimeS,
    microStopS,
  };
  if (form.secondCounter === 'scrap') machine.scrapCounter = form.secondCounterPoint;
  if (form.secondCounter === 'good') machine.goodCounter = form.secondCounterPoint;
  if (form.meterKind !== 'none') machine.meter = { kind: form.meterKind, pointId: form.meterPoint };
  return { ok: true, machine };
}

/** Whole-list replacement helpers: the item at `index` changed, removed. */
export const replaceAt = <Item>(items: readonly Item[], index: number, item: Item): Item[] => items.map((current, at) => (at === index ? item : current));
export const removeAt = <Item>(items: readonly Item[], index: number): Item[] => items.filter((_, at) => at !== index);
