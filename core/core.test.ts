// The whole core as a host runs it: the demo plant on its own ephemeral ports, read over real Modbus
// TCP, recorded in a real SQLite file, and answered through the dispatcher with outputs checked
// against the contract. Each test has its own data folder and closes its core.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, CallOutput, EventMessage } from '../shared/index.ts';
import { createCore, type CallContext, type Core, type CoreOptions } from './index.ts';
import { makeTempDir, removeDir, testCoreOptions, waitFor, mustCall, mustRefuse } from './test-support.ts';

const en: CallContext = { role: 'viewer', locale: 'en' };
const zh: CallContext = { role: 'viewer', locale: 'zh-CN' };
const hasChinese = /[\u4e00-\u9fff]/;
const DEMO_DEVICE_IDS = ['demo-cnc1', 'demo-imm1', 'demo-meter1'];
const DEMO_POINT_COUNT = 5 + 8 + 10;

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = makeTempDir('plantdesk-core-');
  cleanups.push(() => removeDir(dir));
  return dir;
}

async function startCore(dataDir: string, options: Partial<CoreOptions> = {}): Promise<Core> {
  const core = await createCore({
    ...testCoreOptions(dataDir),
    ...options,
  });
  // A test may close its core itself (to reopen the folder); the database handle says whether it did.
  cleanups.push(async () => {
    if (core.db.open) await core.close();
  });
  return core;
}

const call = <Name extends CallName>(core: Core, name: Name, input: unknown, context = en) => mustCall(core, name, input, context);

const refusal = (core: Core, name: string, input: unknown, context = en) => mustRefuse(core, name, input, context);

async function waitUntilLive(core: Core): Promise<CallOutput<'points.list'>> {
  await waitFor(
    async () => (await call(core, 'devices.list', {})).every((device) => device.status.state === 'connected'),
    8000,
    { what: 'every demo device connected', intervalMs: 50 },
  );
  return waitFor(
    async () => {
      const points = await call(core, 'points.list', {});
      return points.length === DEMO_POINT_COUNT && points.every((point) => point.latest?.quality === 'good') && points;
    },
    8000,
    { what: 'a good value for every demo point', intervalMs: 50 },
  );
}

async function queryAll(core: Core, pointIds: readonly string[], from: number, to: number) {
  const series: CallOutput<'historian.query'>['series'] = [];
  for (let index = 0; index < pointIds.length; index += 20) {
    const result = await call(core, 'historian.query', { pointIds: pointIds.slice(index, index + 20), from, to });
    series.push(...result.series);
  }
  return series;
}

const float32Ulp = (value: number) => 2 ** (Math.floor(Math.log2(Math.abs(value))) - 23);

describe('the core with the demo plant', () => {
  it('connects every demo device within a few seconds and shows a good live value for every point', async () => {
    const core = await startCore(tempDataDir());
    const appended: EventMessage[] = [];
    core.events.subscribe((message) => {
      if (message.event === 'samples.appended') appended.push(message);
    });

    const points = await waitUntilLive(core);
    const devices = await call(core, 'devices.list', {});
    expect(devices.map((device) => device.id)).toEqual(DEMO_DEVICE_IDS);
    expect(devices.map((device) => device.name)).toEqual(['CNC-1 machining centre', 'IMM-1 injection moulding', 'Meter-1 cell power']);
    for (const device of devices) {
      expect(device.connection).toMatchObject({ kind: 'tcp', host: '127.0.0.1' });
      expect(device.status.lastGoodReadAt).not.toBeNull();
      expect(device.status.lastError).toBeNull();
    }
    for (const deviceId of DEMO_DEVICE_IDS) {
      const own = points.filter((point) => point.deviceId === deviceId);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((point) => typeof point.latest?.value === 'number')).toBe(true);
    }
    // The UI hears about new values without asking.
    await waitFor(() => appended.length > 0, 3000, { what: 'a samples.appended event' });

    const info = await call(core, 'app.info', {});
    expect(info).toMatchObject({ name: 'PlantDesk', host: 'web', demo: true });
  });

  it('reads over Modbus what the simulated machines hold (uint32 counters, float32 CDAB meter)', async () => {
    const core = await startCore(tempDataDir());
    const plant = core.demoPlant!;
    expect(plant).toBeDefined();
    await waitUntilLive(core);
    const valueOf = async (pointId: string) => {
      const point = (await call(core, 'points.list', {})).find((candidate) => candidate.id === pointId);
      return { value: point?.latest?.value as number, ts: point?.latest?.ts ?? 0 };
    };

    // Counters move every few tens of seconds: poll until a read and the machine agree.
    await waitFor(async () => (await valueOf('demo-cnc1.partCount')).value === plant.cnc.parts, 5000, { what: 'CNC parts to match' });
    await waitFor(async () => (await valueOf('demo-imm1.shotCount')).value === plant.moulding.shots, 5000, { what: 'shots to match' });
    await waitFor(async () => (await valueOf('demo-cnc1.state')).value === plant.cnc.state, 5000, { what: 'CNC state to match' });

    const energy = await valueOf('demo-meter1.energyImport');
    const kwhNow = plant.meter.kwh;
    const ulp = float32Ulp(kwhNow);
    // The read is the float32 of the meter at read time; since then the meter has only counted up.
    const maxGrowth = (60 * (Date.now() - energy.ts + 500)) / 3_600_000;
    expect(energy.value).toBeLessThanOrEqual(kwhNow + ulp);
    expect(energy.value).toBeGreaterThanOrEqual(kwhNow - maxGrowth - ulp);

    for (const phase of ['A', 'B', 'C']) {
      const volts = (await valueOf(`demo-meter1.voltage${phase}`)).value;
      expect(volts).toBeGreaterThanOrEqual(220);
      expect(volts).toBeLessThanOrEqual(240);
    }
    expect((await valueOf('demo-meter1.activePower')).value).toBeGreaterThan(0);
    const zone1 = (await valueOf('demo-imm1.barrelZone1')).value;
    expect(zone1).toBeGreaterThan(200);
    expect(zone1).toBeLessThan(240);
  });

  it('historian.query returns the stored samples of the last minute for every demo point', async () => {
    const core = await startCore(tempDataDir());
    const points = await waitUntilLive(core);
    const pointIds = points.map((point) => point.id);
    const series = await waitFor(
      async () => {
        const now = Date.now();
        const result = await queryAll(core, pointIds, now - 60_000, now);
        return result.every((one) => one.points.length > 0) && result;
      },
      5000,
      { what: 'stored samples for every point', intervalMs: 50 },
    );
    expect(series.map((one) => one.pointId)).toEqual(pointIds);
    for (const one of series) {
      expect(one.bucketMs).toBe(0);
      for (const [ts, avg, min, max] of one.points) {
        expect(ts).toBeGreaterThan(Date.now() - 60_000);
        expect(typeof avg).toBe('number');
        expect(min).toBe(avg);
        expect(max).toBe(avg);
      }
    }
    // The stored values are the live ones.
    const live = new Map(points.map((point) => [point.id, point.latest!]));
    const stored = series.find((one) => one.pointId === 'demo-cnc1.feedOverride')!;
    expect(stored.points.at(-1)![1]).toBe(live.get('demo-cnc1.feedOverride')!.value);
  });

  it('refuses bad historian input with invalid_input, in Chinese for zh-CN and in English for en', async () => {
    const core = await startCore(tempDataDir(), { demo: false });
    const bad = { pointIds: [], from: 'yesterday', to: 10 };

    const english = await refusal(core, 'historian.query', bad, en);
    expect(english.code).toBe('invalid_input');
    expect(english.message).toContain('historian.query');
    expect(english.message).toContain('pointIds');
    expect(english.message).not.toMatch(hasChinese);

    const chinese = await refusal(core, 'historian.query', bad, zh);
    expect(chinese.code).toBe('invalid_input');
    expect(chinese.message).toMatch(/输入无效/);
    expect(chinese.message).toContain('pointIds');

    const backwards = { pointIds: ['demo-cnc1.state'], from: 2_000_000_000_000, to: 1_000_000_000_000 };
    const backwardsEn = await refusal(core, 'historian.query', backwards, en);
    expect(backwardsEn.code).toBe('invalid_input');
    expect(backwardsEn.message).toMatch(/ends before it starts/);
    expect((await refusal(core, 'historian.query', backwards, zh)).message).toMatch(hasChinese);

    const unknown = await refusal(core, 'historian.query', { pointIds: ['no.such.point'], from: 0, to: 1 }, en);
    expect(unknown.code).toBe('not_found');
    expect(unknown.message).toContain('no.such.point');
  });

  it('a viewer can make the read calls against the running core', async () => {
    const core = await startCore(tempDataDir(), { demo: false });
    const info = await call(core, 'app.info', {});
    expect(info.demo).toBe(false);
    expect(await call(core, 'devices.list', {})).toEqual([]);
    expect(await call(core, 'points.list', {})).toEqual([]);
    expect((await refusal(core, 'points.list', { deviceId: 'demo-cnc1' })).code).toBe('not_found');
  });

  it('demo points stored before points had a kind get the demo plant kinds (counters, states) at the next start', async () => {
    const dataDir = tempDataDir();
    const first = await startCore(dataDir);
    const db = first.db;
    db.prepare("UPDATE points SET config = json_remove(config, '$.kind')").run();
    await first.close();

    const second = await startCore(dataDir);
    const kinds = new Map((await call(second, 'points.list', {})).map((point) => [point.id, point.kind]));
    expect(kinds.get('demo-cnc1.partCount')).toBe('counter');
    expect(kinds.get('demo-cnc1.state')).toBe('state');
    expect(kinds.get('demo-cnc1.spindleSpeed')).toBe('analog');
  });

  it('after close and reopen on the same data folder the samples are still there and the demo devices reconnect', async () => {
    const dataDir = tempDataDir();
    const first = await startCore(dataDir);
    await waitUntilLive(first);
    const from = Date.now() - 60_000;
    const watched = ['demo-cnc1.spindleSpeed', 'demo-meter1.energyImport'];
    await waitFor(
      async () => (await queryAll(first, watched, from, Date.now())).every((one) => one.points.length >= 2),
      5000,
      { what: 'two stored samples per watched point', intervalMs: 50 },
    );
    const firstPorts = { ...first.demoPlant!.ports };
    await first.close();
    const closedAt = Date.now();

    const second = await startCore(dataDir);
    const before = await queryAll(second, watched, from, closedAt);
    for (const one of before) expect(one.points.length).toBeGreaterThanOrEqual(2);
    const energy = before.find((one) => one.pointId === 'demo-meter1.energyImport')!.points.map((point) => point[1] as number);
    expect(energy).toEqual([...energy].sort((a, b) => a - b));

    // The same three devices (not a second set), pointing at this run's demo servers.
    const devices = await call(second, 'devices.list', {});
    expect(devices.map((device) => device.id)).toEqual(DEMO_DEVICE_IDS);
    expect(await call(second, 'points.list', {})).toHaveLength(DEMO_POINT_COUNT);
    const ports = second.demoPlant!.ports;
    expect(devices.map((device) => (device.connection as { port: number }).port)).toEqual([ports.cnc, ports.moulding, ports.meter]);
    expect(ports).not.toEqual(firstPorts);
    await waitUntilLive(second);

    // And what the second run records joins the first run's history.
    await waitFor(
      async () => {
        const series = await queryAll(second, ['demo-cnc1.spindleSpeed'], from, Date.now());
        return series[0]!.points.some(([ts]) => ts > closedAt);
      },
      5000,
      { what: 'a sample stored by the second run', intervalMs: 50 },
    );
  });
});
