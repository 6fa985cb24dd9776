// The KPI calls around the overview: settings (defaults for the demo plant, checks with sentences that
// name the problem), custom KPIs evaluated over points and machine figures, what a machine is doing
// now from the devices' live status, and the cache of closed periods computed ahead.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../shared/index.ts';
import { defaultShiftCalendar } from '../../shared/domain/calendar.ts';
import type { KpiDefinitionInput } from '../../shared/domain/kpis.ts';
import type { MachineInput } from '../../shared/domain/machines.ts';
import { kpiCalls } from '../../shared/contract/kpi-calls.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import type { Db } from '../storage/database.ts';
import { addDevice, cst, kpiCaller, openKpiDatabase, runUpkeep, stateSamples, storeSamples, type SampleRow } from './kpi-test-support.ts';
import type { LiveStatus } from './engine.ts';

const MINUTE = 60_000;
const m = (hour: number, minute = 0, day = 4) => cst(2026, 5, day, hour, minute);
const NOW = m(21);

let dataDir: string;
let db: Db;

beforeEach(() => {
  dataDir = makeTempDir();
  db = openKpiDatabase(dataDir);
});

afterEach(() => {
  db.close();
  removeDir(dataDir);
});

const machine: MachineInput = {
  id: 'press',
  name: 'Press 7',
  deviceId: 'plc',
  stateTag: 'plc.state',
  runningStates: [3],
  idleStates: [1],
  alarmStates: [9],
  partCounter: 'plc.strokes',
  goodCounter: 'plc.good',
  idealCycleTimeS: 30,
};

/** A press that runs 08:00–20:00 (meal break 12:00–12:30 spent idle), a stroke every 40 s, 5 % of parts bad; 50 kW measured on its power point. */
function pressHistory(): Record<string, number> {
  const nums = addDevice(db, 'plc', [
    { id: 'plc.state', kind: 'state', dataType: 'uint16' },
    { id: 'plc.strokes', kind: 'counter' },
    { id: 'plc.good', kind: 'counter' },
    { id: 'plc.kw', kind: 'analog' },
    { id: 'plc.temp', kind: 'analog' },
  ]);
  storeSamples(db, nums['plc.state']!, stateSamples([[m(8), m(12), 3], [m(12), m(12, 30), 1], [m(12, 30), m(20), 3]]));
  const strokes: SampleRow[] = [[m(8), 0]];
  const good: SampleRow[] = [[m(8), 0]];
  let count = 0;
  for (let ts = m(8) + 40_000; ts < m(20); ts += 40_000) {
    if (ts >= m(12) && ts < m(12, 30)) continue;
    count++;
    strokes.push([ts, count]);
    good.push([ts, count - Math.floor(count / 20)]);
  }
  storeSamples(db, nums['plc.strokes']!, strokes);
  storeSamples(db, nums['plc.good']!, good);
  storeSamples(db, nums['plc.kw']!, stateSamples([[m(8), m(20), 50]]));
  storeSamples(db, nums['plc.temp']!, stateSamples([[m(8), m(14), 60], [m(14), m(20), 80]]));
  runUpkeep(db, NOW);
  return nums;
}

async function configured(now = NOW, live?: LiveStatus) {
  const caller = kpiCaller({ db, now: () => now, live });
  await caller.call('kpis.setCalendar', { ...defaultShiftCalendar('en'), timeZone: 'Asia/Shanghai' });
  await caller.call('kpis.setMachines', { machines: [machine] });
  return caller;
}

async function refusal(promise: Promise<unknown>): Promise<[string, string]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return [error.key, error.message];
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('settings', () => {
  it('starts with two 12-hour shifts in the host\'s zone, the China tariff and the demo plant\'s machines', async () => {
    addDevice(db, 'demo-cnc1', [
      { id: 'demo-cnc1.state', kind: 'state' },
      { id: 'demo-cnc1.partCount', kind: 'counter' },
    ]);
    addDevice(db, 'demo-meter1', [{ id: 'demo-meter1.energyImport', kind: 'counter' }]);
    const { call } = kpiCaller({ db, hostTimeZone: () => 'Asia/Shanghai' });
    const calendar = await call('kpis.calendar', {}, { role: 'viewer', locale: 'zh-CN' });
    expect(calendar.effectiveTimeZone).toBe('Asia/Shanghai');
    expect(calendar.calendar.shifts.map((shift) => [shift.name, shift.start, shift.end, shift.breaks.map((b) => `${b.start}–${b.end}`)])).toEqual([
      ['白班', '08:00', '20:00', ['12:00–12:30']],
      ['夜班', '20:00', '08:00', ['00:00–00:30']],
    ]);
    const tariff = await call('kpis.tariff', {}, { role: 'viewer' });
    expect(tariff.bands.map((band) => `${band.band} ${band.start}–${band.end}`)).toEqual(['peak 08:00–11:00', 'peak 18:00–21:00', 'valley 23:00–07:00']);
    // Only the demo machines whose devices exist; the meter as the plant's.
    const machines = await call('kpis.machines', {}, { role: 'viewer', locale: 'en' });
    expect(machines.machines.map((one) => [one.id, one.name, one.stateTag, one.partCounter, one.idealCycleTimeS])).toEqual([
      ['cnc1', 'CNC-1 machining centre', 'demo-cnc1.state', 'demo-cnc1.partCount', 38],
    ]);
    expect(machines.plantMeter).toEqual({ pointId: 'demo-meter1.energyImport', kind: 'energy' });
    expect(machines.stopReasons.map((reason) => `${reason.code}:${reason.zh}`)).toEqual([
      'changeover:换型换模',
      'noMaterial:缺料',
      'breakdown:设备故障',
      'qualityProblem:质量问题',
      'waitingForOperator:等待操作工',
      'plannedMaintenance:计划保养',
      'other:其他',
    ]);
  });

  it('checks machines against the points, with sentences naming the machine and the point', async () => {
    pressHistory();
    const { call } = kpiCaller({ db, now: () => NOW });
    expect(await refusal(call('kpis.setMachines', { machines: [{ ...machine, partCounter: 'plc.nothing' }] }, { role: 'engineer' }))).toEqual([
      'error.machinePointMissing',
      'The machine "Press 7" uses the point "plc.nothing", which does not exist. Pick an existing point.',
    ]);
    expect((await refusal(call('kpis.setMachines', { machines: [{ ...machine, stateTag: 'plc.temp' }] }, { role: 'engineer' })))[0]).toBe('error.machineStateTagKind');
    expect((await refusal(call('kpis.setMachines', { machines: [{ ...machine, partCounter: 'plc.temp' }] }, { role: 'engineer' })))[0]).toBe('error.machineCounterKind');
    expect((await refusal(call('kpis.setMachines', { machines: [{ ...machine, idleStates: [3] }] }, { role: 'engineer' })))[1]).toContain('the state value 3');
    expect((await refusal(call('kpis.setMachines', { machines: [{ ...machine, scrapCounter: 'plc.good' }] }, { role: 'engineer' })))[0]).toBe('error.machineGoodAndScrap');
    expect((await refusal(call('kpis.setMachines', { machines: [machine, machine] }, { role: 'engineer' })))[0]).toBe('error.machineDuplicate');
    // Changing machines needs an engineer; the tariff and the calendar an administrator.
    expect((await refusal(call('kpis.setMachines', { machines: [machine] }, { role: 'operator' })))[0]).toBe('error.forbidden');
    expect((await refusal(call('kpis.setTariff', { prices: { peak: 1, flat: 1, valley: 1 }, bands: [] }, { role: 'engineer' })))[0]).toBe('error.forbidden');
    await call('kpis.setMachines', { machines: [machine], plantMeter: { pointId: 'plc.kw', kind: 'power' } }, { role: 'engineer' });
    expect((await call('kpis.machines', {}, { role: 'viewer' })).machines[0]!.microStopS).toBe(120);
  });

  it('refuses a calendar with an unknown zone in the caller\'s language', async () => {
    const { call } = kpiCaller({ db });
    const [key] = await refusal(call('kpis.setCalendar', { ...defaultShiftCalendar('en'), timeZone: 'Asia/Peking' }));
    expect(key).toBe('error.timeZoneUnknown');
  });

  it('falls back to the defaults when a stored setting no longer fits', async () => {
    db.prepare("INSERT INTO settings (key, value) VALUES ('kpis.tariff', '{\"prices\": 3}')").run();
    const { call } = kpiCaller({ db });
    expect((await call('kpis.tariff', {}, { role: 'viewer' })).prices.peak).toBe(1.05);
  });
});

describe('custom KPIs', () => {
  const definition = (overrides: Partial<KpiDefinitionInput> = {}): KpiDefinitionInput => ({
    id: 'press.kwhPerGood',
    name: 'Energy per good part',
    inputs: [
      { source: 'point', name: 'kw', pointId: 'plc.kw', aggregation: 'average' },
      { source: 'point', name: 'hours', pointId: 'plc.state', aggregation: 'timeInState', states: [3], within: 'planned' },
      { source: 'machine', name: 'good', machineId: 'press', measure: 'goodParts' },
    ],
    expression: 'kw * hours / 3600 / good',
    unit: 'kWh',
    target: 1,
    goodDirection: 'lower',
    ...overrides,
  });

  it('evaluates a formula over points\' history and machine figures', async () => {
    pressHistory();
    const { call } = await configured();
    // Strokes every 40 s from 08:00:40 to 19:59:20, none in the meal break: 1,034; 1 in 20 bad: 983 good.
    const result = await call('kpis.evaluate', { definition: definition(), period: 'shift', at: m(10) }, { role: 'viewer' });
    expect(result.inputs).toEqual({ kw: 50, hours: 11.5 * 3600, good: 983 });
    expect(result.value).toBeCloseTo((50 * 11.5) / 983, 12);
    expect(result).toMatchObject({ kpiId: 'press.kwhPerGood', unit: 'kWh', status: 'good', period: { label: 'Day shift, 2026-05-04', current: false } });

    const others = await call(
      'kpis.evaluate',
      {
        definition: definition({
          inputs: [
            { source: 'point', name: 'strokes', pointId: 'plc.strokes', aggregation: 'increase' },
            { source: 'point', name: 'hottest', pointId: 'plc.temp', aggregation: 'max' },
            { source: 'point', name: 'coolest', pointId: 'plc.temp', aggregation: 'min' },
            { source: 'point', name: 'temp', pointId: 'plc.temp', aggregation: 'last' },
            { source: 'machine', name: 'oee', machineId: 'press', measure: 'oee' },
            { source: 'machine', name: 'planned', machineId: 'press', measure: 'plannedTime' },
            { source: 'machine', name: 'utilisation', machineId: 'press', measure: 'utilisation' },
          ],
          expression: 'round(oee * 100, 1)',
          target: 85,
          goodDirection: 'higher',
        }),
        period: 'day',
        at: m(10),
      },
      { role: 'viewer' },
    );
    // Planned from when the press's history begins (08:00) until now (21:00), less the meal break.
    expect(others.inputs).toMatchObject({ strokes: 1034, hottest: 80, coolest: 60, temp: 80, planned: 12.5 * 3600 });
    expect(others.value).toBe(Math.round(((983 * 30) / (12.5 * 3600)) * 1000) / 10);
    // Running 08:00–12:00 and 12:30 until its last sample stopped holding at 20:01, of the 13 hours since its history began.
    expect(others.inputs.utilisation).toBeCloseTo((11.5 * 60 + 1) / (13 * 60), 12);
    expect(others.status).toBe('bad');
  });

  it('gives null, not Infinity, where the formula divides by zero', async () => {
    pressHistory();
    const { call } = await configured();
    const result = await call('kpis.evaluate', { definition: definition(), period: 'shift', at: m(22) }, { role: 'viewer' });
    expect(result.inputs.good).toBe(0);
    expect(result.value).toBeNull();
    expect(result.status).toBeNull();
  });

  it('names the KPI and the problem when a definition cannot be used', async () => {
    pressHistory();
    const { call } = await configured();
    const evaluate = (overrides: Partial<KpiDefinitionInput>, locale: 'en' | 'zh-CN' = 'en') =>
      refusal(call('kpis.evaluate', { definition: definition(overrides), period: 'day' }, { role: 'viewer', locale }));
    expect(await evaluate({ expression: 'kw * hourz' })).toEqual([
      'error.kpiExpression',
      'The KPI "Energy per good part" has a problem in its formula: the name "hourz" is not one of its inputs (kw, hours, good). Correct the formula.',
    ]);
    expect((await evaluate({ expression: 'sqrt(kw)' }))[1]).toContain('"sqrt" is not a function a formula may use');
    expect((await evaluate({ expression: 'kw.constructor' }))[0]).toBe('error.kpiExpression');
    expect((await evaluate({ inputs: [{ source: 'point', name: 'kw', pointId: 'plc.nothing', aggregation: 'average' }], expression: 'kw' }))[1]).toBe(
      'The KPI "Energy per good part": its input "kw" reads the point "plc.nothing", which does not exist. Pick an existing point.',
    );
    expect((await evaluate({ inputs: [{ source: 'point', name: 'kw', pointId: 'plc.kw', aggregation: 'increase' }], expression: 'kw' }))[0]).toBe('error.kpiInputNotCounter');
    expect((await evaluate({ inputs: [{ source: 'point', name: 'max', pointId: 'plc.kw', aggregation: 'max' }], expression: '1' }))[0]).toBe('error.kpiInputName');
    expect((await evaluate({ inputs: [{ source: 'machine', name: 'x', machineId: 'lathe', measure: 'oee' }], expression: 'x' }))[0]).toBe('error.machineNotFound');
    // The dispatcher's schema check catches what has the wrong shape before the handler.
    expect(() => kpiCalls['kpis.evaluate'].input.parse({ definition: definition({ inputs: [{ source: 'point', name: 'h', pointId: 'plc.state', aggregation: 'timeInState' }] }), period: 'day' })).toThrow(z.ZodError);
    expect((await evaluate({ expression: 'kw +' }, 'zh-CN'))[0]).toBe('error.kpiExpression');
  });

  it('keeps the value of a closed period, and computes the current one live', async () => {
    pressHistory();
    const { call } = await configured();
    await call('kpis.evaluate', { definition: definition(), period: 'shift', at: m(10) }, { role: 'viewer' });
    expect(db.prepare("SELECT count(*) FROM kpi_cache WHERE kpi LIKE 'kpi:%'").pluck().get()).toBe(1);
    const live = await kpiCaller({ db, now: () => m(10) }).call('kpis.evaluate', { definition: definition(), period: 'shift' }, { role: 'viewer' });
    expect(live.period.current).toBe(true);
    expect(db.prepare("SELECT count(*) FROM kpi_cache WHERE kpi LIKE 'kpi:%'").pluck().get()).toBe(1);
  });
});

describe('the plant now', () => {
  it('says what each machine is doing from its device\'s live status, and since when', async () => {
    pressHistory();
    const status: { state: 'connected' | 'disconnected' } = { state: 'connected' };
    let latest: { ts: number; value: number | null; quality: 'good' | 'bad' } = { ts: m(19, 59), value: 3, quality: 'good' };
    const live: LiveStatus = { status: () => status, latest: () => latest };
    const { call } = await configured(m(19, 59) + 4000, live);
    let press = (await call('kpis.overview', { period: 'shift' })).machines[0]!;
    // Running since the meal break ended.
    expect([press.state, press.stateSince]).toEqual(['running', m(12, 30)]);
    latest = { ts: m(19, 59), value: 9, quality: 'good' };
    press = (await call('kpis.overview', { period: 'shift' })).machines[0]!;
    expect(press.state).toBe('alarm');
    status.state = 'disconnected';
    press = (await call('kpis.overview', { period: 'shift' })).machines[0]!;
    expect(press.state).toBe('offline');
  });

  it('without live status, takes it from the history: stopped since the last sample stopped holding', async () => {
    pressHistory();
    const { call } = await configured();
    const press = (await call('kpis.overview', { period: 'day' })).machines[0]!;
    // The last sample (19:59) held until 20:01; nothing since.
    expect([press.state, press.stateSince]).toEqual(['unknown', m(20, 1)]);
    expect(press.timeline.at(-1)).toEqual({ from: m(20, 1), to: NOW, state: 'unknown' });
  });
});

describe('closed periods', () => {
  it('are computed ahead into the cache, and read from it', async () => {
    pressHistory();
    runUpkeep(db, m(12, 0, 6));
    const caller = await configured(m(12, 0, 6));
    await caller.handlers.warm();
    const cached = db.prepare('SELECT kpi, subject, period_kind AS kind, period_start AS start FROM kpi_cache ORDER BY period_start').all() as { kind: string; start: number }[];
    // The closed days of May and April (history begins on 4 May; the days before hold zeros) and the shifts of the last two days.
    expect(cached.filter((row) => row.kind === 'day').length).toBe(30 + 5);
    expect(cached.filter((row) => row.kind === 'shift').map((row) => row.start)).toEqual([m(8, 0, 4), m(20, 0, 4), m(8, 0, 5), m(20, 0, 5)].filter((start) => start + 12 * 3600_000 > m(12, 0, 6) - 2 * 86_400_000));
    const month = await caller.call('kpis.overview', { period: 'month' });
    expect(month.machines[0]!.output.total).toBe(1034);
    expect(month.period).toMatchObject({ label: '2026-05', current: true });
    expect(MINUTE).toBe(60_000);
  });
});
