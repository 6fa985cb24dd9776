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
