import { describe, expect, it } from 'vitest';
import { defaultShiftCalendar, ShiftCalendarSchema } from '../../../../shared/domain/calendar.ts';
import { MachineSchema, type Machine } from '../../../../shared/domain/machines.ts';
import { formToMachine, machineToForm, newBreak, newMachineForm, newShift, parseNumberList, removeAt, replaceAt, toggleWeekday } from './production-form.ts';

const cnc: Machine = {
  id: 'cnc1',
  name: 'CNC-1',
  deviceId: 'demo-cnc1',
  stateTag: 'demo-cnc1.state',
  runningStates: [1],
  idleStates: [0],
  alarmStates: [2, 3],
  partCounter: 'demo-cnc1.partCount',
  scrapCounter: 'demo-cnc1.scrapCount',
  partsPerCount: 1,
  idealCycleTimeS: 38,
  microStopS: 120,
  meter: { kind: 'power', pointId: 'demo-cnc1.power' },
};

describe('production forms', () => {
  it('reads state codes typed with commas or spaces, and refuses words', () => {
    expect(parseNumberList('1, 3 4')).toEqual([1, 3, 4]);
    expect(parseNumberList('  ')).toEqual([]);
    expect(parseNumberList('1，2')).toEqual([1, 2]);
    expect(parseNumberList('1, run')).toBeNull();
    expect(parseNumberList('0x10')).toBeNull();
  });

  it('toggles weekdays in order and keeps at least one', () => {
    expect(toggleWeekday([1, 2, 3], 2)).toEqual([1, 3]);
    expect(toggleWeekday([1, 3], 2)).toEqual([1, 2, 3]);
    expect(toggleWeekday([5], 5)).toEqual([5]);
  });

  it('adds shifts and breaks the calendar schema accepts', () => {
    const calendar = defaultShiftCalendar('en');
    const third = newShift(calendar.shifts, 'Late');
    expect(third).toMatchObject({ id: 'shift-1', start: '08:00', end: '16:00' });
    const withBreak = { ...third, breaks: [newBreak(third)] };
    expect(withBreak.breaks[0]).toEqual({ start: '12:00', end: '12:30', name: '' });
    expect(ShiftCalendarSchema.safeParse({ ...calendar, shifts: [...calendar.shifts, withBreak] }).success).toBe(true);
  });

  it('turns a machine into the form and back unchanged', () => {
    const back = formToMachine(machineToForm(cnc));
    expect(back).toEqual({ ok: true, machine: cnc });
    const good = formToMachine({ ...machineToForm(cnc), secondCounter: 'good', meterKind: 'none' });
    expect(good.ok && good.machine).toMatchObject({ goodCounter: 'demo-cnc1.scrapCount' });
    expect(good.ok && good.machine.scrapCounter).toBeUndefined();
    expect(good.ok && good.machine.meter).toBeUndefined();
  });

  it('names each field that is wrong', () => {
    const result = formToMachine({ ...machineToForm(cnc), runningStates: '', idleStates: 'idle', idealCycleTimeS: '0', microStopS: '5000', meterPoint: '', stateTag: '' });
    expect(result).toEqual({
      ok: false,
      problems: {
        stateTag: 'production.problem.required',
        runningStates: 'production.problem.stateCodes',
        idleStates: 'production.problem.stateCodes',
        idealCycleTimeS: 'production.problem.positive',
        microStopS: 'production.problem.microStop',
        meterPoint: 'production.problem.required',
      },
    });
  });

  it('starts a new machine that only lacks its points', () => {
    const form = newMachineForm(['machine-1'], 'demo-imm1', 'Moulding');
    expect(form.id).toBe('machine-2');
    const filled = formToMachine({ ...form, stateTag: 'demo-imm1.state', partCounter: 'demo-imm1.shotCount' });
    expect(filled.ok).toBe(true);
    expect(filled.ok && MachineSchema.safeParse(filled.machine).success).toBe(true);
  });

  it('replaces and removes list items without touching the others', () => {
    expect(replaceAt(['a', 'b', 'c'], 1, 'x')).toEqual(['a', 'x', 'c']);
    expect(removeAt(['a', 'b', 'c'], 0)).toEqual(['b', 'c']);
  });
});
