import { describe, expect, it } from 'vitest';
import { AXIS_WIDTH, axesPerSide, axisIndexOf, distinctUnits, unitAxes, unitFits } from './unit-axes.ts';

const line = (pointId: string, unit: string, color = `#${pointId.padEnd(6, '0')}`) => ({ pointId, unit, color });

describe('unit axes', () => {
  it('gives each distinct unit one axis, lines of one unit sharing it', () => {
    const axes = unitAxes([line('a', 'rpm'), line('b', '%'), line('c', 'rpm')]);
    expect(axes.map((axis) => [axis.unit, axis.pointIds])).toEqual([
      ['rpm', ['a', 'c']],
      ['%', ['b']],
    ]);
    expect(axisIndexOf(axes, 'c')).toBe(0);
    expect(axisIndexOf(axes, 'b')).toBe(1);
  });

  it('alternates sides, the third and fourth one axis width further out', () => {
    const axes = unitAxes([line('a', 'rpm'), line('b', 'kW'), line('c', '°C'), line('d', 'bar')]);
    expect(axes.map((axis) => [axis.position, axis.offset])).toEqual([
      ['left', 0],
      ['right', 0],
      ['left', AXIS_WIDTH],
      ['right', AXIS_WIDTH],
    ]);
    expect(axesPerSide(axes)).toEqual({ left: 2, right: 2 });
  });

  it('colours the axes after their first line only when there are several', () => {
    expect(unitAxes([line('a', 'V', '#111111'), line('b', 'V')])[0]!.color).toBeNull();
    expect(unitAxes([line('a', 'V', '#111111'), line('b', 'A', '#222222')]).map((axis) => axis.color)).toEqual(['#111111', '#222222']);
  });

  it('never makes a fifth axis; a fifth unit (the picker prevents it) joins the last', () => {
    const axes = unitAxes([line('a', '1'), line('b', '2'), line('c', '3'), line('d', '4'), line('e', '5')]);
    expect(axes).toHaveLength(4);
    expect(axisIndexOf(axes, 'e')).toBe(3);
  });

  it('treats a state code without unit as a unit of its own, and ignores stray spaces', () => {
    expect(distinctUnits([{ unit: '' }, { unit: 'kW' }, { unit: 'kW ' }])).toEqual(['', 'kW']);
  });

  it('lets a line join when its unit has an axis or a fourth axis is free', () => {
    expect(unitFits(['rpm', 'kW', '°C'], 'bar')).toBe(true);
    expect(unitFits(['rpm', 'kW', '°C', 'bar'], 'kW')).toBe(true);
    expect(unitFits(['rpm', 'kW', '°C', 'bar'], 'Hz')).toBe(false);
  });
});
