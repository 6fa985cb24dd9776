import { describe, expect, it } from 'vitest';
import type { Point, Sample } from '../../../shared/domain/devices.ts';
import { defaultTrendPoints, hasTrendData, mergeLiveSamples, windowFromSeries, drawnPoints, valueAt, type TrendWindows } from './trend-window.ts';

const sample = (pointId: string, ts: number, value: number | null, quality: Sample['quality'] = 'good'): Sample => ({
  pointId,
  ts,
  value,
  quality,
});

describe('trend window', () => {
  it('takes the bucket average of the historian, within the window', () => {
    expect(
      windowFromSeries(
        [
          [900, 1, 0, 2],
          [1000, 2, 1, 3],
          [2000, null, null, null],
        ],
        1000,
      ),
    ).toEqual([
      [1000, 2],
      [2000, null],
    ]);
  });

  it('appends newer live samples and ignores what the historian already returned', () => {
    const windows: TrendWindows = { a: [[1000, 1], [2000, 2]], b: [[1000, 5]] };
    const merged = mergeLiveSamples(windows, [sample('a', 2000, 2), sample('a', 3000, 3), sample('c', 3000, 9)], 0);
    expect(merged.a).toEqual([[1000, 1], [2000, 2], [3000, 3]]);
    expect(merged.b).toBe(windows.b);
    expect(merged).not.toHaveProperty('c');
  });

  it('sorts a batch and turns bad or text values into gaps', () => {
    const merged = mergeLiveSamples(
      { a: [] },
      [sample('a', 3000, 3), sample('a', 1000, 1), sample('a', 2000, 99, 'bad'), { pointId: 'a', ts: 4000, value: 'x', quality: 'good' }],
      0,
    );
    expect(merged.a).toEqual([[1000, 1], [2000, null], [3000, 3], [4000, null]]);
  });

  it('drops points older than the window', () => {
    const windows: TrendWindows = { a: [[1000, 1], [2000, 2], [3000, 3]] };
    const merged = mergeLiveSamples(windows, [sample('a', 4000, 4)], 2500);
    expect(merged.a).toEqual([[3000, 3], [4000, 4]]);
    expect(mergeLiveSamples(merged, [], 3500).a).toEqual([[4000, 4]]);
  });

  it('returns the same object when nothing changed, so the chart does not redraw', () => {
    const windows: TrendWindows = { a: [[1000, 1]] };
    expect(mergeLiveSamples(windows, [sample('a', 500, 0), sample('other', 2000, 1)], 0)).toBe(windows);
  });

  it('holds a stored value until the read before the next change', () => {
    expect(drawnPoints([[0, 100], [1000, 100], [50_000, 80], [51_000, 81]], 1000)).toEqual([
      [0, 100],
      [1000, 100],
      [49_000, 100],
      [50_000, 80],
      [51_000, 81],
    ]);
  });

  it('breaks the line where nothing was stored for longer than the heartbeat', () => {
    expect(drawnPoints([[0, 1], [200_000, 2], [201_000, null], [300_000, 3]], 1000)).toEqual([
      [0, 1],
      [1, null],
      [200_000, 2],
      [201_000, null],
      [300_000, 3],
    ]);
  });

  it('reads the value a line shows at any time', () => {
    const points: [number, number | null][] = [[1000, 1], [2000, 2], [3000, null], [4000, 4]];
    expect(valueAt(points, 500)).toBeNull();
    expect(valueAt(points, 1000)).toBe(1);
    expect(valueAt(points, 2999)).toBe(2);
    expect(valueAt(points, 3500)).toBeNull();
    expect(valueAt(points, 9000)).toBe(4);
  });

  it('knows when there is nothing to draw', () => {
    expect(hasTrendData({ a: [], b: [[1, null]] })).toBe(false);
    expect(hasTrendData({ a: [[1, 0]] })).toBe(true);
  });
});

describe('default trend points', () => {
  const point = (id: string, dataType: Point['dataType'], unit: string, scale = 1): Point => ({
    id,
    deviceId: 'cnc',
    name: id,
    description: '',
    unit,
    function: 'holding',
    kind: 'analog',
    address: 0,
    dataType,
    wordOrder: 'ABCD',
    scale,
    offset: 0,
    deadband: 0,
    scanMs: 1000,
    writable: false,
  });

  it('skips state codes and text, and takes the first two measurements', () => {
    const points = [
      point('state', 'uint16', ''),
      point('label', 'string', ''),
      point('spindleSpeed', 'uint16', 'rpm'),
      point('spindleLoad', 'uint16', '%', 0.1),
      point('partCount', 'uint32', 'pcs'),
    ];
    expect(defaultTrendPoints(points)).toEqual(['spindleSpeed', 'spindleLoad']);
  });

  it('falls back to state codes when there is nothing else', () => {
    expect(defaultTrendPoints([point('state', 'uint16', ''), point('pf', 'float32', '')])).toEqual(['pf', 'state']);
  });
});
