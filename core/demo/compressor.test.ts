// The demo compressor as physics: load/unload on its pressure band, power and delivery that follow
// the state, counters that only increase, hours to service that count down, and a trip on heat.
import { describe, expect, it } from 'vitest';
import { AirCompressor, COMPRESSOR_RATING, COMPRESSOR_STATE } from './compressor.ts';
import { decodeRegisters } from '../../shared/index.ts';

const START = Date.UTC(2026, 10, 24, 8);

/** Runs the compressor for `minutes` of simulated time in 200 ms steps, noting each state's time and each change. */
function run(compressor: AirCompressor, from: number, minutes: number) {
  const time = new Map<number, number>();
  const changes: { at: number; state: number; pressure: number }[] = [];
  let state: number = compressor.state;
  for (let now = from; now < from + minutes * 60_000; now += 200) {
    compressor.step(now);
    time.set(compressor.state, (time.get(compressor.state) ?? 0) + 0.2);
    if (compressor.state !== state) changes.push({ at: now, state: compressor.state, pressure: compressor.pressureBar });
    state = compressor.state;
  }
  return { time, changes };
}

describe('air compressor', () => {
  it('loads at the lower setpoint and unloads at the upper one, cycling within a minute or two', () => {
    const compressor = new AirCompressor(START);
    const { time, changes } = run(compressor, START, 30);
    const loads = changes.filter((change) => change.state === COMPRESSOR_STATE.loaded);
    const unloads = changes.filter((change) => change.state === COMPRESSOR_STATE.unloaded);
    expect(loads.length).toBeGreaterThan(10);
    expect(unloads.length).toBeGreaterThan(10);
    for (const change of loads) expect(change.pressure).toBeCloseTo(COMPRESSOR_RATING.loadBar, 1);
    for (const change of unloads) expect(change.pressure).toBeCloseTo(COMPRESSOR_RATING.unloadBar, 1);
    const loadRatio = time.get(COMPRESSOR_STATE.loaded)! / (time.get(COMPRESSOR_STATE.loaded)! + time.get(COMPRESSOR_STATE.unloaded)!);
    expect(loadRatio).toBeGreaterThan(0.3);
    expect(loadRatio).toBeLessThan(0.9);
  });

  it('draws full power and delivers air only when loaded; its specific power is that of a 22 kW screw', () => {
    const compressor = new AirCompressor(START);
    const before = compressor.counters;
    const seen = { loadedKw: [] as number[], unloadedKw: [] as number[] };
    for (let now = START; now < START + 20 * 60_000; now += 200) {
      compressor.step(now);
      if (compressor.state === COMPRESSOR_STATE.loaded) {
        expect(compressor.deliveryM3PerMin).toBeGreaterThan(3.4);
        seen.loadedKw.push(compressor.powerKw);
      } else {
        expect(compressor.deliveryM3PerMin).toBe(0);
        seen.unloadedKw.push(compressor.powerKw);
      }
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(seen.loadedKw)).toBeGreaterThan(22);
    expect(median(seen.unloadedKw)).toBeLessThan(10);
    const after = compressor.counters;
    const specificPower = ((after.kwh - before.kwh) / (after.airM3 - before.airM3)) * 60;
    expect(specificPower).toBeGreaterThan(6);
    expect(specificPower).toBeLessThan(10);
    expect(after.runSeconds - before.runSeconds).toBeCloseTo(20 * 60, -1);
    expect(after.loadSeconds).toBeGreaterThan(before.loadSeconds);
    expect(after.loadCycles).toBeGreaterThan(before.loadCycles);
  });

  it('serves its values in the gateway map, the hours to service counting down with the running hours', () => {
    const compressor = new AirCompressor(START, 4, { runSeconds: 3999.5 * 3600, loadSeconds: 2000 * 3600, kwh: 1000, airM3: 5000, loadCycles: 10 });
    expect(compressor.hoursToService).toBe(1);
    run(compressor, START, 40);
    expect(compressor.hoursToService).toBe(4000);
    const registers = compressor.image.read(0, 18);
    const value = (address: number, dataType: 'uint16' | 'int16' | 'uint32') => Number(decodeRegisters(registers.slice(address, address + (dataType === 'uint32' ? 2 : 1)), dataType, 'ABCD'));
    expect(value(1, 'uint16') / 100).toBeGreaterThan(6.3);
    expect(value(2, 'int16') / 10).toBeGreaterThan(60);
    expect(value(5, 'uint32')).toBe(Math.floor(compressor.counters.runSeconds));
    expect(value(9, 'uint16')).toBe(4000);
    expect([value(10, 'uint16'), value(11, 'uint16')]).toEqual([750, 650]);
  });

  it('trips when a fouled cooler drives the discharge temperature over the limit, and restarts once cool', () => {
    const compressor = new AirCompressor(START);
    compressor.coolerFoulingC = 40;
    const { changes } = run(compressor, START, 15);
    expect(changes.some((change) => change.state === COMPRESSOR_STATE.alarm)).toBe(true);
    compressor.coolerFoulingC = 0;
    const after = run(compressor, START + 15 * 60_000, 15);
    expect(compressor.state).not.toBe(COMPRESSOR_STATE.alarm);
    expect(after.changes.some((change) => change.state === COMPRESSOR_STATE.loaded)).toBe(true);
  });
});
