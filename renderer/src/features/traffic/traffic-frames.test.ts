import { describe, expect, it } from 'vitest';
import type { TrafficFrame } from '../../../../shared/contract/device-calls.ts';
import { formatClockMs, framesAfter, isAtBottom, mergeFrames } from './traffic-frames.ts';

const tx = (ts: number, hex = '00 01 00 00 00 06 01 03 00 00 00 05'): TrafficFrame => ({ ts, direction: 'tx', unitId: 1, hex });
const rx = (ts: number, hex = '00 01 00 00 00 0D 01 03 0A'): TrafficFrame => ({ ts, direction: 'rx', unitId: 1, hex });

describe('traffic frames', () => {
  it('appends only what is new in an overlapping window', () => {
    const shown = [tx(1000), rx(1004), tx(2000)];
    expect(mergeFrames(shown, [rx(1004), tx(2000), rx(2003), tx(3000)])).toEqual([...shown, rx(2003), tx(3000)]);
  });

  it('keeps identical frames in the same millisecond apart from the overlap', () => {
    const shown = [tx(1000), tx(1000, 'AA')];
    expect(mergeFrames(shown, [tx(1000), tx(1000, 'AA'), tx(1000)])).toEqual([...shown, tx(1000)]);
  });

  it('falls back to time when the windows do not overlap (a gap)', () => {
    expect(mergeFrames([tx(1000)], [tx(5000), rx(5002)])).toEqual([tx(1000), tx(5000), rx(5002)]);
  });

  it('returns the same array when nothing is new, and caps the length', () => {
    const shown = [tx(1000)];
    expect(mergeFrames(shown, [tx(1000)])).toBe(shown);
    expect(mergeFrames([tx(1), tx(2)], [tx(2), tx(3), tx(4)], 3)).toEqual([tx(2), tx(3), tx(4)]);
  });

  it('hides frames up to a local clear', () => {
    const frames = [tx(1000), rx(1004), tx(2000)];
    expect(framesAfter(frames, null)).toBe(frames);
    expect(framesAfter(frames, 1004)).toEqual([tx(2000)]);
    expect(framesAfter(frames, 9999)).toEqual([]);
  });

  it('shows times with milliseconds', () => {
    expect(formatClockMs(new Date(2026, 0, 15, 9, 5, 7, 45).getTime())).toBe('09:05:07.045');
  });

  it('knows when the user has scrolled up', () => {
    expect(isAtBottom({ scrollTop: 580, scrollHeight: 1000, clientHeight: 400 })).toBe(true);
    expect(isAtBottom({ scrollTop: 300, scrollHeight: 1000, clientHeight: 400 })).toBe(false);
  });
});
