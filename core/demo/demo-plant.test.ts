import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../host.ts';
import { DemoPlant } from './demo-plant.ts';
import { calendarCount } from './simulation.ts';

describe('demo plant counters across restarts', () => {
  it('never step back, however fast the machines ran before the restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-demo-'));
    const stateFile = path.join(dir, 'demo-plant.json');
    const start = Date.UTC(2026, 10, 24, 8);
    const first = new DemoPlant(silentLogger, start, stateFile);
    // Run the machines for a simulated day, far faster than the calendar rate the first start used.
    for (let now = start; now < start + 86_400_000; now += 200) {
      first.cnc.step(now);
      first.moulding.step(now);
      first.meter.step(now);
    }
    for (let now = start; now < start + 3_600_000; now += 200) first.compressor.step(now);
    const before = { parts: first.cnc.parts, shots: first.moulding.shots, kwh: first.meter.kwh, scrap: first.moulding.scrap, compressor: first.compressor.counters };
    await first.stop();

    const restartAt = start + 86_400_000 + 60_000;
    // The machines out-ran the calendar: a restart that trusted the calendar alone would step back.
    expect(before.shots).toBeGreaterThan(calendarCount(restartAt, 26_000));
    const second = new DemoPlant(silentLogger, restartAt, stateFile);
    expect(second.cnc.parts).toBeGreaterThanOrEqual(before.parts);
    expect(second.moulding.shots).toBeGreaterThanOrEqual(before.shots);
    expect(second.meter.kwh).toBeGreaterThanOrEqual(before.kwh);
    expect(second.moulding.scrap).toBe(before.scrap);
    expect(second.compressor.counters).toEqual(before.compressor);
    await second.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts from the calendar when the saved state is missing or damaged', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-demo-'));
    const stateFile = path.join(dir, 'demo-plant.json');
    fs.writeFileSync(stateFile, '{ not json');
    const now = Date.UTC(2026, 10, 24, 8);
    const plant = new DemoPlant(silentLogger, now, stateFile);
    expect(plant.cnc.parts).toBe(calendarCount(now, 52_000));
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).parts).toBe(plant.cnc.parts);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a state file an older version saved (without rejects and compressor counters)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-demo-'));
    const stateFile = path.join(dir, 'demo-plant.json');
    const now = Date.UTC(2026, 10, 24, 8);
    fs.writeFileSync(stateFile, JSON.stringify({ parts: 5_000_000, shots: 5_000_000, kwh: 200_000, savedAt: now - 60_000 }));
    const plant = new DemoPlant(silentLogger, now, stateFile);
    expect(plant.moulding.shots).toBe(5_000_000);
    expect(plant.moulding.scrap).toBe(100_000);
    expect(plant.compressor.counters.runSeconds).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('demo plant servers', () => {
  it('tells where each server listens, the compressor included', async () => {
    const plant = new DemoPlant(silentLogger);
    await plant.start(false);
    const endpoints = plant.endpoints();
    expect(Object.keys(endpoints).sort()).toEqual(['cnc', 'compressor', 'meter', 'moulding']);
    for (const endpoint of Object.values(endpoints)) {
      expect(endpoint.host).toBe('127.0.0.1');
      expect(endpoint.port).toBeGreaterThan(0);
    }
    expect(new Set(Object.values(endpoints).map((endpoint) => endpoint.port)).size).toBe(4);
    await plant.stop();
  });
});
