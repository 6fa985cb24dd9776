import { describe, expect, it } from 'vitest';
import type { Point } from '../../../../shared/domain/devices.ts';
import { pickBlock, pickerGroups } from './tag-picker.ts';

const point = (deviceId: string, key: string, name: string, unit: string, dataType: Point['dataType'] = 'float32'): Point =>
  ({ id: `${deviceId}.${key}`, deviceId, name, unit, dataType, scale: 1, offset: 0 }) as Point;

const devices = [
  { id: 'cnc', name: 'CNC-1 machining centre' },
  { id: 'meter', name: 'Power meter 主配电' },
];
const points = [
  point('meter', 'power', 'Active power', 'kW'),
  point('cnc', 'speed', 'Spindle speed', 'rpm', 'uint16'),
  point('cnc', 'program', 'Program name', '', 'string'),
  point('cnc', 'load', 'Spindle load', '%'),
  point('meter', 'voltage', 'A 相电压', 'V'),
];

describe('tag picker', () => {
  it('groups numeric points by device in the device list order', () => {
    const groups = pickerGroups(points, devices, '');
    expect(groups.map((group) => [group.deviceName, group.points.map((one) => one.id)])).toEqual([
      ['CNC-1 machining centre', ['cnc.speed', 'cnc.load']],
      ['Power meter 主配电', ['meter.power', 'meter.voltage']],
    ]);
  });

  it('finds points by any words of their name, unit or device, in any case', () => {
    expect(pickerGroups(points, devices, 'SPINDLE lo').flatMap((group) => group.points.map((one) => one.id))).toEqual(['cnc.load']);
    expect(pickerGroups(points, devices, 'meter').flatMap((group) => group.points.map((one) => one.id))).toEqual(['meter.power', 'meter.voltage']);
    expect(pickerGroups(points, devices, '电压').flatMap((group) => group.points.map((one) => one.id))).toEqual(['meter.voltage']);
    expect(pickerGroups(points, devices, 'kw')).toHaveLength(1);
    expect(pickerGroups(points, devices, 'nothing like it')).toEqual([]);
  });

  it('lists points of a device missing from the list under its id rather than losing them', () => {
    expect(pickerGroups([point('new', 'x', 'X', 'A')], devices, '')).toEqual([{ deviceId: 'new', deviceName: 'new', points: [expect.objectContaining({ id: 'new.x' })] }]);
  });

  it('says why a point cannot be added: eight lines, or a fifth unit', () => {
    const chosen = ['rpm', '%', 'kW', 'V'].map((unit, index) => ({ id: `p${index}`, unit }));
    expect(pickBlock({ id: 'hz', unit: 'Hz' }, chosen)).toBe('units');
    expect(pickBlock({ id: 'kw2', unit: 'kW' }, chosen)).toBeNull();
    expect(pickBlock({ id: 'p0', unit: 'rpm' }, chosen)).toBeNull();
    const eight = Array.from({ length: 8 }, (_, index) => ({ id: `q${index}`, unit: 'V' }));
    expect(pickBlock({ id: 'more', unit: 'V' }, eight)).toBe('full');
    expect(pickBlock({ id: 'q3', unit: 'V' }, eight)).toBeNull();
  });
});
