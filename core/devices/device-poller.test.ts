// decodePoint: the value a user sees for one point, taken from the data of the read that holds it.
import { describe, expect, it } from 'vitest';
import { encodeValue } from '../../shared/index.ts';
import { testPoint } from '../test-support.ts';
import { planBlocks, type ReadBlock } from './block-planner.ts';
import { decodePoint } from './device-poller.ts';

describe('decodePoint', () => {
  it('finds each point at its own offset within a read that starts above zero', () => {
    const temperature = testPoint({ id: 'temp', address: 101, dataType: 'int16', scale: 0.1 });
    const voltage = testPoint({ id: 'volts', address: 102, dataType: 'float32', wordOrder: 'CDAB' });
    const speed = testPoint({ id: 'rpm', address: 100 });
    const [block] = planBlocks([temperature, voltage, speed]);
    expect(block).toMatchObject({ start: 100, count: 4 });
    const data = [1500, ...encodeValue(-125, 'int16', 'ABCD'), ...encodeValue(230.5, 'float32', 'CDAB')];

    expect(decodePoint(speed, block!, data)).toBe(1500);
    expect(decodePoint(temperature, block!, data)).toBeCloseTo(-12.5, 10);
    expect(decodePoint(voltage, block!, data)).toBe(230.5);
  });

  it('applies scale and offset to numbers (a 4–20 mA input scaled to 0–10 bar)', () => {
    const pressure = testPoint({ id: 'bar', address: 0, scale: 10 / 16000, offset: -2.5 });
    const block: ReadBlock = { function: 'input', start: 0, count: 1, points: [pressure] };
    expect(decodePoint(pressure, block, [16000])).toBeCloseTo(7.5, 10);
  });

  it('coils and discrete inputs read as 1 or 0, never scaled', () => {
    const running = testPoint({ id: 'run', address: 7, function: 'coil', dataType: 'bool', scale: 100 });
    const door = testPoint({ id: 'door', address: 8, function: 'coil', dataType: 'bool' });
    const block: ReadBlock = { function: 'coil', start: 7, count: 2, points: [running, door] };
    expect(decodePoint(running, block, [true, false])).toBe(1);
    expect(decodePoint(door, block, [true, false])).toBe(0);
  });

  it('bits of a status word are 1 or 0 whatever the scale; strings stay text', () => {
    const alarm = testPoint({ id: 'alarm', address: 0, dataType: 'bit', bit: 3, scale: 0.1, offset: 5 });
    const program = testPoint({ id: 'prog', address: 1, dataType: 'string', length: 2 });
    const [block] = planBlocks([alarm, program]);
    const data = [0b1000, ...encodeValue('O123', 'string', 'ABCD', 2)];
    expect(decodePoint(alarm, block!, data)).toBe(1);
    expect(decodePoint(program, block!, data)).toBe('O123');
  });

  it('a read that came back short makes the point fail instead of inventing a value', () => {
    const energy = testPoint({ id: 'kwh', address: 2, dataType: 'float32' });
    const block: ReadBlock = { function: 'holding', start: 0, count: 4, points: [energy] };
    expect(() => decodePoint(energy, block, [0, 0, 0x4120])).toThrow(RangeError);
  });
});
