// The demo plant seen from outside: mbpoll (a Modbus master nobody here wrote, as a technician would
// point Modbus Poll at the demo) reads the demo meter and CNC over TCP, and its numbers agree with what
// the core shows. mbpoll's default float is little-endian word order, i.e. CDAB, as the demo meter uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PointView } from '../../shared/index.ts';
import { closeAllCores, runTracked, startCore, stopAllProcesses, waitFor, type TestCore } from './support.ts';

/** mbpoll's data lines, `[reference]: \tvalue`, by one-based reference. */
function parseMbpoll(stdout: string): Map<number, number> {
  const values = new Map<number, number>();
  for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(-?[\d.eE+-]+|nan|-?inf)\s*$/gm)) {
    values.set(Number(match[1]), Number(match[2]));
  }
  return values;
}

async function mbpoll(port: number, args: readonly string[]): Promise<Map<number, number>> {
  const result = await runTracked('mbpoll', ['-m', 'tcp', '-p', String(port), '-a', '1', ...args, '-1', '127.0.0.1']);
  if (result.code !== 0) throw new Error(`mbpoll ${args.join(' ')} failed (exit ${String(result.code)}):\n${result.output}`);
  return parseMbpoll(result.stdout);
}

describe('mbpoll against the demo plant', () => {
  let core: TestCore;
  const ports: Record<string, number> = {};

  const latest = async (deviceId: string) => {
    const points = await core.call('points.list', { deviceId });
    return new Map(points.map((point: PointView) => [point.id.slice(deviceId.length + 1), point.latest]));
  };
  const value = (values: Map<string, PointView['latest']>, key: string): number => {
    const current = values.get(key);
    if (current?.quality !== 'good' || typeof current.value !== 'number') throw new Error(`${key}: ${JSON.stringify(current)}`);
    return current.value;
  };

  beforeAll(async () => {
    core = await startCore({ demo: true, demoFixedPorts: false });
    const devices = await waitFor(async () => {
      const list = await core.call('devices.list', {});
      return list.every((device) => device.status.state === 'connected') && list;
    }, 10_000, { what: 'demo devices connected' });
    for (const device of devices) {
      if (device.connection.kind !== 'tcp') throw new Error(`${device.id} is not on TCP`);
      expect(device.connection.host).toBe('127.0.0.1');
      ports[device.id] = device.connection.port;
    }
    await waitFor(async () => [...(await latest('demo-meter1')).values()].every((current) => current?.quality === 'good'), 10_000, {
      what: 'meter values',
    });
  });

  afterAll(async () => {
    await closeAllCores();
    await stopAllProcesses();
  });

  it('reads the meter as 32-bit floats (CDAB) that agree with the core', async () => {
    const before = await latest('demo-meter1');
    const read = await mbpoll(ports['demo-meter1']!, ['-t', '4:float', '-r', '1', '-c', '10']);
    const after = await latest('demo-meter1');
    // Ten floats at references 1, 3, ... 19: voltages L1-L3, currents L1-L3, kW, PF, Hz, kWh.
    expect([...read.keys()]).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    const keys = ['voltageA', 'voltageB', 'voltageC'];
    keys.forEach((key, phase) => {
      const volts = read.get(1 + phase * 2)!;
      expect(volts, key).toBeGreaterThanOrEqual(220);
      expect(volts, key).toBeLessThanOrEqual(240);
      // The simulated voltage wanders ±1.5 V around 230 V between reads.
      expect(Math.abs(volts - value(after, key)), key).toBeLessThanOrEqual(3.01);
    });
    expect(read.get(15)!).toBeGreaterThanOrEqual(0.9); // power factor
    expect(read.get(15)!).toBeLessThanOrEqual(0.94);
    expect(Math.abs(read.get(15)! - value(after, 'powerFactor'))).toBeLessThanOrEqual(0.041);
    expect(Math.abs(read.get(17)! - value(after, 'frequency'))).toBeLessThanOrEqual(0.041);
    expect(read.get(13)!).toBeGreaterThan(0); // kW
    // Energy only grows: mbpoll (6 significant digits) reads no less than the core's earlier value.
    const energy = read.get(19)!;
    expect(energy).toBeGreaterThanOrEqual(value(before, 'energyImport') - 0.5 * 10 ** (Math.floor(Math.log10(energy)) - 5));
    expect(Math.abs(energy - value(after, 'energyImport'))).toBeLessThanOrEqual(10 ** (Math.floor(Math.log10(energy)) - 5) + 1);
  });

  it('reads nonsense from the meter in big-endian word order (-B): the demo meter really is CDAB', async () => {
    const read = await mbpoll(ports['demo-meter1']!, ['-t', '4:float', '-B', '-r', '1', '-c', '6']);
    expect([...read.keys()]).toEqual([1, 3, 5, 7, 9, 11]);
    for (const reference of [1, 3, 5]) {
      const volts = read.get(reference)!;
      expect(Number.isNaN(volts) || volts < 220 || volts > 240, `[${reference}] ${volts}`).toBe(true);
    }
  });

  it('reads the CNC registers that agree with the core (state, counter, feed override)', async () => {
    const before = await latest('demo-cnc1');
    const read = await mbpoll(ports['demo-cnc1']!, ['-t', '4', '-r', '1', '-c', '6']);
    expect([...read.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([0, 1, 2]).toContain(read.get(1)); // idle, running, alarm
    expect(read.get(2)!).toBeGreaterThanOrEqual(0); // spindle rpm
    expect(read.get(3)! / 10).toBeLessThanOrEqual(120); // spindle load, 0.1 %
    // The part counter is a uint32 in registers 4 and 5, high word first; the core's is the same or a little older.
    const parts = read.get(4)! * 65536 + read.get(5)!;
    const coreParts = value(before, 'partCount');
    expect(parts).toBeGreaterThanOrEqual(coreParts);
    expect(parts - coreParts).toBeLessThanOrEqual(2);
    expect(read.get(6)).toBe(value(before, 'feedOverride'));
    // And the core, read after mbpoll, has caught up or is about to.
    const caughtUp = await waitFor(async () => {
      const current = value(await latest('demo-cnc1'), 'partCount');
      return current >= parts && current;
    }, 5000, { what: 'the core to show the counter mbpoll saw' });
    expect(caughtUp - parts).toBeLessThanOrEqual(2);
  });
});
