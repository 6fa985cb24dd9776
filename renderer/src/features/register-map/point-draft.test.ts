import { describe, expect, it } from 'vitest';
import { PointSchema, type Point } from '../../../../shared/domain/devices.ts';
import {
  checkMap,
  draftToPoint,
  duplicateDraft,
  freeName,
  newPointDraft,
  pointToDraft,
  restyle,
  withAddress,
  withDataType,
  withFunction,
  type PointDraft,
} from './point-draft.ts';

const feed: Point = PointSchema.parse({
  id: 'cnc.feedOverride',
  deviceId: 'cnc',
  name: 'Feed override',
  unit: '%',
  address: 5,
  dataType: 'uint16',
  writable: true,
});

const row = (overrides: Partial<PointDraft>): PointDraft => ({ ...newPointDraft(undefined, 'modicon'), ...overrides });

describe('point rows', () => {
  it('shows a point in each address style and converts it back', () => {
    expect(pointToDraft(feed, 'modicon').address).toBe('40006');
    expect(pointToDraft(feed, 'oneBased').address).toBe('6');
    expect(pointToDraft(feed, 'zeroBased').address).toBe('5');
    for (const style of ['modicon', 'oneBased', 'zeroBased'] as const) {
      expect(draftToPoint(pointToDraft(feed, style), 'cnc', feed.id, style)).toEqual({ point: feed, errors: {} });
    }
  });

  it('keeps a custom scan period and maps the classes', () => {
    expect(pointToDraft({ ...feed, scanMs: 250 }, 'modicon')).toMatchObject({ scanClass: 'custom', scanMs: '250' });
    expect(pointToDraft({ ...feed, scanMs: 10_000 }, 'modicon').scanClass).toBe('10000');
    const custom = draftToPoint({ ...pointToDraft(feed, 'modicon'), scanClass: 'custom', scanMs: '250' }, 'cnc', feed.id, 'modicon');
    expect(custom.point?.scanMs).toBe(250);
  });

  it('starts a new row right after the last one', () => {
    const float = row({ address: '40011', dataType: 'float32', wordOrder: 'CDAB', scanClass: '100' });
    expect(newPointDraft(float, 'modicon')).toMatchObject({ address: '40013', dataType: 'float32', wordOrder: 'CDAB', scanClass: '100', name: '', id: '' });
    expect(newPointDraft(undefined, 'zeroBased').address).toBe('0');
  });

  it('duplicates a row onto the next registers with a free name', () => {
    const first = row({ name: 'Temp', id: 'x.temp', address: '40001', dataType: 'int32' });
    const copy = duplicateDraft(first, [first], 'modicon');
    expect(copy).toMatchObject({ name: 'Temp 2', id: '', address: '40003', dataType: 'int32' });
    expect(freeName('Temp 2', ['Temp', 'temp 2'])).toBe('Temp 3');
  });

  it('takes the function from a Modicon address, and the prefix from a function', () => {
    const typed = withAddress(row({}), '30001', 'modicon');
    expect(typed).toMatchObject({ function: 'input', address: '30001' });
    const coil = withFunction(row({ address: '40010', writable: true }), 'coil', 'modicon');
    expect(coil).toMatchObject({ function: 'coil', address: '00010', dataType: 'bool', writable: true });
    expect(withFunction(row({ address: '9', writable: true }), 'discrete', 'oneBased')).toMatchObject({ address: '9', dataType: 'bool', writable: false });
  });

  it('saves the kind chosen for a row, and keeps a retention the editor does not show', () => {
    const counter: Point = PointSchema.parse({ ...feed, id: 'cnc.parts', name: 'Parts', dataType: 'uint32', kind: 'counter', retention: { rawDays: 30, hourDays: null } });
    const draft = pointToDraft(counter, 'modicon');
    expect(draft.kind).toBe('counter');
    expect(draftToPoint(draft, 'cnc', counter.id, 'modicon')).toEqual({ point: counter, errors: {} });
    expect(draftToPoint({ ...draft, kind: 'state' }, 'cnc', counter.id, 'modicon').point).toMatchObject({ kind: 'state', retention: { rawDays: 30, hourDays: null } });
    expect(newPointDraft(undefined, 'modicon').kind).toBe('analog');
    // A new row or a copy takes the kind of the row before it, not its retention.
    expect(newPointDraft(draft, 'modicon')).toMatchObject({ kind: 'counter' });
    expect(newPointDraft(draft, 'modicon').retention).toBeUndefined();
    expect(duplicateDraft(draft, [draft], 'modicon').retention).toBeUndefined();
  });

  it('suggests "state" when a row becomes an on/off bit, but keeps a kind the technician chose', () => {
    expect(withDataType(row({}), 'bit').kind).toBe('state');
    expect(withDataType(row({ kind: 'counter' }), 'bit').kind).toBe('counter');
    expect(withFunction(row({ address: '40010' }), 'coil', 'modicon')).toMatchObject({ dataType: 'bool', kind: 'state' });
    expect(withAddress(row({}), '10001', 'modicon')).toMatchObject({ function: 'discrete', dataType: 'bool', kind: 'state' });
    expect(withDataType(row({}), 'float32').kind).toBe('analog');
    // A bit row set back to analog stays analog when other fields change.
    const bitAnalog = row({ dataType: 'bit', bit: '3', kind: 'analog' });
    expect(withAddress(bitAnalog, '40020', 'modicon').kind).toBe('analog');
    expect(withDataType(bitAnalog, 'bit').kind).toBe('analog');
  });

  it('rewrites addresses when the style changes', () => {
    const rows = [row({ address: '40006' }), row({ function: 'input', address: '30010' }), row({ address: 'junk' })];
    expect(restyle(rows, 'modicon', 'zeroBased').map((draft) => draft.address)).toEqual(['5', '9', 'junk']);
    expect(restyle(restyle(rows, 'modicon', 'oneBased'), 'oneBased', 'modicon').map((draft) => draft.address)).toEqual(['40006', '30010', 'junk']);
  });
});

describe('checking a map', () => {
  it('reports each bad cell with a message key', () => {
    const { point, errors } = draftToPoint(row({ name: '', address: '50001', scale: 'x', deadband: '-1' }), 'cnc', 'cnc.p1', 'modicon');
    expect(point).toBeNull();
    expect(errors).toEqual({
      address: { key: 'mapEditor.addressInvalid.modicon' },
      name: { key: 'form.required' },
      scale: { key: 'form.number' },
      deadband: { key: 'form.atLeast', params: { min: 0 } },
    });
  });

  it("reports pointProblems on the field they name", () => {
    const bit = draftToPoint(row({ name: 'Alarm', dataType: 'bit' }), 'cnc', 'cnc.alarm', 'modicon');
    expect(bit.errors).toEqual({ bit: { key: 'map.problem.bitMissing', params: {} } });
    const writableInput = draftToPoint(row({ name: 'T', function: 'input', address: '30001', writable: true }), 'cnc', 'cnc.t', 'modicon');
    expect(writableInput.errors.writable?.key).toBe('map.problem.readOnlyArea');
  });

  it('gives new rows ids from their names and finds names used twice', () => {
    const rows = [row({ name: 'Spindle speed' }), row({ name: 'Bad', address: '' }), row({ name: '主轴转速', address: '40002' }), row({ name: 'spindle speed', address: '40003' })];
    const check = checkMap(rows, 'cnc-2', 'modicon');
    expect(check.points).toBeNull();
    expect(check.ids[rows[0]!.key]).toBe('cnc-2.spindleSpeed');
    expect(check.ids[rows[2]!.key]).toBe('cnc-2.p3');
    expect(check.errors[rows[1]!.key]).toEqual({ address: { key: 'mapEditor.addressInvalid.modicon' } });
    expect(check.errors[rows[3]!.key]?.name).toEqual({ key: 'map.problem.duplicateName', params: { name: 'spindle speed', row: 1 } });
    expect(check.problemCount).toBe(2);
    expect(check.goodRows.map((good) => good.key)).toEqual([rows[0]!.key, rows[2]!.key]);
  });

  it('returns the points when every row is fine', () => {
    const rows = [pointToDraft(feed, 'modicon'), row({ name: 'Spindle speed', address: '40002' })];
    const check = checkMap(rows, 'cnc', 'modicon');
    expect(check.problemCount).toBe(0);
    expect(check.points?.map((point) => [point.id, point.address])).toEqual([['cnc.feedOverride', 5], ['cnc.spindleSpeed', 1]]);
  });
});
