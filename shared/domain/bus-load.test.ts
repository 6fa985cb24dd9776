import { describe, expect, it } from 'vitest';
import { busUtilisation, characterSeconds, readFrameBytes, readSeconds, type SerialFraming } from './bus-load.ts';

const at9600: SerialFraming = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

describe('serial bus load', () => {
  it('counts 10 bits a character for 8N1 and 11 for 8E1', () => {
    expect(characterSeconds(at9600)).toBeCloseTo(10 / 9600, 9);
    expect(characterSeconds({ ...at9600, parity: 'even' })).toBeCloseTo(11 / 9600, 9);
  });

  it('sizes read frames as the specification does', () => {
    expect(readFrameBytes(10, false)).toEqual({ request: 8, response: 25 });
    expect(readFrameBytes(125, false)).toEqual({ request: 8, response: 255 });
    expect(readFrameBytes(9, true)).toEqual({ request: 8, response: 7 });
  });

  it('prices a 10-register read at 9600 baud at about 48 ms of bus time', () => {
    // 33 bytes × 1.042 ms + 2 × 3.65 ms silence + 5 ms turnaround ≈ 46.7 ms
    expect(readSeconds(at9600, { count: 10, bits: false }) * 1000).toBeCloseTo(46.7, 0);
  });

  it('finds a bus of 30 meters read every second at 9600 baud over-booked, and fine at 115200', () => {
    const reads = Array.from({ length: 30 }, () => ({ count: 10, bits: false, scanMs: 1000 }));
    expect(busUtilisation(at9600, reads)).toBeGreaterThan(1);
    expect(busUtilisation({ ...at9600, baudRate: 115_200 }, reads)).toBeLessThan(0.5);
  });
});
