// OEE, losses, stops and energy on a real SQLite file, from samples written the way the historian
// writes them and rolled up by the historian's own upkeep, checked against figures worked out by hand:
// a day shift with a micro-stop, an alarm, a meal break, an hour with the device off and a counter
// reset; a night shift over midnight with planned downtime while the machine kept running; reason
// codes that move time between the loss bars; energy by tariff band across band edges and the
// highest 15-minute demand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/index.ts';
import { defaultShiftCalendar, type ShiftCalendarInput } from '../../shared/domain/calendar.ts';
import type { MachineInput, MachineSettingsInput } from '../../shared/domain/machines.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import type { Db } from '../storage/database.ts';
import { addDevice, cst, kpiCaller, openKpiDatabase, runUpkeep, stateSamples, storeSamples, type SampleRow, type StateStretch } from './kpi-test-support.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const RUN = 1;
const IDLE = 0;
const ALARM = 2;
/** After the night shift of 4 May; the day shift of 5 May is running. */
const NOW = cst(2026, 5, 5, 9, 0);

let dataDir: string;
let db: Db;
let nums: Record<string, number>;

const m = (hour: number, minute = 0, second = 0, day = 4) => cst(2026, 5, day, hour, minute, second);

/** Machine 1's day shift on 4 May (08:00–20:00, meal break 12:00–12:30). */
const DAY_SHIFT: StateStretch[] = [
  [m(8), m(10), RUN],
  [m(10), m(10, 1, 40), IDLE], // a micro-stop of 100 s
  [m(10, 1, 40), m(11), RUN],
  [m(11), m(11, 30), ALARM], // 30 minutes in alarm
  [m(11, 30), m(12), RUN],
  [m(12), m(12, 30), IDLE], // the meal break
  [m(12, 30), m(14), RUN],
  [m(14), m(15), 'bad'], // the device is off for an hour: one bad reading, then nothing
  [m(15), m(20), RUN],
];

/** Machine 2's night shift from 4 to 5 May: it runs through the meal break and the planned downtime; idle 02:00–02:20. */
const NIGHT_SHIFT: StateStretch[] = [
  [m(20), m(2, 0, 0, 5), RUN],
  [m(2, 0, 0, 5), m(2, 20, 0, 5), IDLE],
  [m(2, 20, 0, 5), m(8, 0, 0, 5), RUN],
];

/** A part at hh:mm:30 of every minute the machine runs; the counter reset to 0 at `resetAt`. */
function* partSamples(stretches: readonly StateStretch[], resetAt?: number): Generator<SampleRow> {
  let count = 1000;
  yield [stretches[0]![0] - 1000, count];
  for (const [from, to, value] of stretches) {
    if (value !== RUN) continue;
    for (let ts = Math.ceil((from - 30_000) / MINUTE) * MINUTE + 30_000; ts < to; ts += MINUTE) {
      if (resetAt !== undefined && ts > resetAt && count > 500) {
        count = 0;
        yield [resetAt, 0];
      }
      yield [ts, ++count];
    }
  }
}

/** The plant meter: 1 kWh a minute (60 kW), 3 kWh a minute (180 kW) from 09:00 to 09:15 on 4 May. */
function* meterSamples(from: number, to: number): Generator<SampleRow> {
  let kwh = 5000;
  for (let ts = from; ts < to; ts += MINUTE) {
    kwh += ts >= m(9) && ts < m(9, 15) ? 3 : 1;
    yield [ts, kwh];
  }
}

const machine1: MachineInput = {
  id: 'm1',
  name: 'CNC-1',
  deviceId: 'dev1',
  stateTag: 'dev1.state',
  runningStates: [RUN],
  idleStates: [IDLE],
  alarmStates: [ALARM],
  partCounter: 'dev1.parts',
  scrapCounter: 'dev1.scrap',
  idealCycleTimeS: 50,
  microStopS: 120,
  meter: { pointId: 'dev1.power', kind: 'power' },
};
const machine2: MachineInput = { ...machine1, id: 'm2', name: 'IMM-1', deviceId: 'dev2', stateTag: 'dev2.state', partCounter: 'dev2.parts', scrapCounter: undefined, meter: undefined };

const calendar: ShiftCalendarInput = {
  ...defaultShiftCalendar('en'),
  timeZone: 'Asia/Shanghai',
  plannedDowntime: [{ from: '2026-05-05T05:00', to: '2026-05-05T05:30', reason: 'plannedMaintenance', machineIds: ['m2'] }],
};
const machineSettings: MachineSettingsInput = { machines: [machine1, machine2], plantMeter: { pointId: 'meter.energy', kind: 'energy' } };

function build(now = NOW): ReturnType<typeof kpiCaller> {
  const caller = kpiCaller({ db, now: () => now });
  return caller;
}

async function configure(caller: ReturnType<typeof kpiCaller>): Promise<void> {
  await caller.call('kpis.setCalendar', calendar);
  await caller.call('kpis.setMachines', machineSettings);
}

beforeEach(() => {
  dataDir = makeTempDir();
  db = openKpiDatabase(dataDir);
  nums = {
    ...addDevice(db, 'dev1', [
      { id: 'dev1.state', kind: 'state', dataType: 'uint16' },
      { id: 'dev1.parts', kind: 'counter' },
      { id: 'dev1.scrap', kind: 'counter' },
      { id: 'dev1.power', kind: 'analog' },
    ]),
    ...addDevice(db, 'dev2', [
      { id: 'dev2.state', kind: 'state', dataType: 'uint16' },
      { id: 'dev2.parts', kind: 'counter' },
    ]),
    ...addDevice(db, 'meter', [{ id: 'meter.energy', kind: 'counter', dataType: 'float32' }]),
  };
  storeSamples(db, nums['dev1.state']!, stateSamples(DAY_SHIFT));
  storeSamples(db, nums['dev1.parts']!, partSamples(DAY_SHIFT, m(16)));
  // 13 scrapped parts, every 10 minutes from 09:00:45.
  storeSamples(db, nums['dev1.scrap']!, [[m(8), 0], ...Array.from({ length: 13 }, (_, index): SampleRow => [m(9, 0, 45) + index * 10 * MINUTE, index + 1])]);
  // 12 kW while the device answers (its meter is on the same device).
  storeSamples(db, nums['dev1.power']!, stateSamples(DAY_SHIFT.map(([from, to, value]): StateStretch => [from, to, value === 'bad' ? 'bad' : 12])));
  storeSamples(db, nums['dev2.state']!, stateSamples(NIGHT_SHIFT));
  storeSamples(db, nums['dev2.parts']!, partSamples(NIGHT_SHIFT));
  storeSamples(db, nums['meter.energy']!, meterSamples(m(23, 59, 0, 3), NOW));
  runUpkeep(db, NOW);
});

afterEach(() => {
  db.close();
  removeDir(dataDir);
});

describe('OEE of a day shift, worked out by hand', () => {
  // Planned: 12 h − 30 min break = 690 min. Run: 120 + 58 min 20 s + 30 + 90 + 300 = 598 min 20 s.
  // Parts: 120 + 58 + 30 + 90 + 300 = 598 (the reset at 16:00 loses none); scrap 13; ideal cycle 50 s.
  const PLANNED = 690 * MINUTE;
  const RUN_MS = 598 * MINUTE + 20_000;

  it('gives availability, performance, quality and OEE, and the losses', async () => {
    const caller = build();
    await configure(caller);
    const overview = await caller.call('kpis.overview', { period: 'shift', at: m(10) });
    expect(overview.period).toMatchObject({ kind: 'shift', from: m(8), to: m(20), label: 'Day shift, 2026-05-04', current: false });
    const cnc = overview.machines.find((machine) => machine.machineId === 'm1')!;
    expect(cnc.oee.plannedMs).toBe(PLANNED);
    expect(cnc.oee.runMs).toBe(RUN_MS);
    expect(cnc.oee.availability).toBeCloseTo(RUN_MS / PLANNED, 12);
    expect(cnc.oee.performance).toBeCloseTo((598 * 50_000) / RUN_MS, 12);
    expect(cnc.oee.quality).toBeCloseTo(585 / 598, 12);
    expect(cnc.oee.oee).toBeCloseTo((585 * 50_000) / PLANNED, 12);
    expect(cnc.output).toEqual({ total: 598, good: 585, scrap: 13 });
    expect(cnc.losses).toEqual({
      plannedStopMs: 30 * MINUTE,
      microStopMs: 100_000,
      // 30 minutes in alarm and the hour the device was off.
      unplannedStopMs: 90 * MINUTE,
      speedLossMs: RUN_MS - 598 * 50_000,
      qualityLossMs: 13 * 50_000,
      byReason: { unassigned: 90 * MINUTE },
    });
    // The machine's own meter: 12 kW for the 11 hours its device answered.
    expect(cnc.energyKwh).toBeCloseTo(132, 9);
    expect(cnc.kwhPerPart).toBeCloseTo(132 / 585, 12);
  });

  it('draws the shift as a state timeline', async () => {
    const caller = build();
    await configure(caller);
    const overview = await caller.call('kpis.overview', { period: 'shift', at: m(10) });
    const timeline = overview.machines.find((machine) => machine.machineId === 'm1')!.timeline;
    expect(timeline.map((span) => [new Date(span.from + 8 * HOUR).toISOString().slice(11, 19), span.state])).toEqual([
      ['08:00:00', 'running'],
      ['10:00:00', 'idle'],
      ['10:01:40', 'running'],
      ['11:00:00', 'alarm'],
      ['11:30:00', 'running'],
      ['12:00:00', 'idle'],
      ['12:30:00', 'running'],
      // One bad reading, then nothing: mostly unknown.
      ['14:00:00', 'unknown'],
      ['15:00:00', 'running'],
    ]);
    expect(timeline.at(-1)!.to).toBe(m(20));
  });

  it('gives the same figures while the shift runs, whether the newest minutes are rolled up or raw', async () => {
    // At 17:05:20, with the history rolled up only to 16:40 (the rest is raw samples and plain rows).
    const now = m(17, 5, 20);
    const fresh = makeTempDir();
    const live = openKpiDatabase(fresh);
    try {
      const copy = (from: Db, to: Db) => {
        for (const table of ['devices', 'points']) {
          for (const row of from.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
            const columns = Object.keys(row);
            to.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((column) => row[column]));
          }
        }
      };
      copy(db, live);
      const pick = (rows: Iterable<SampleRow>) => [...rows].filter(([ts]) => ts < now - 5000);
      storeSamples(live, nums['dev1.state']!, pick(stateSamples(DAY_SHIFT)));
      storeSamples(live, nums['dev1.parts']!, pick(partSamples(DAY_SHIFT, m(16))));
      storeSamples(live, nums['dev1.scrap']!, pick([[m(8), 0], ...Array.from({ length: 13 }, (_, index): SampleRow => [m(9, 0, 45) + index * 10 * MINUTE, index + 1])]));
      runUpkeep(live, m(16, 40, 5));
      const liveCaller = kpiCaller({ db: live, now: () => now });
      await configure(liveCaller);
      const rolled = build(now);
      await configure(rolled);
      const partial = (await liveCaller.call('kpis.overview', { period: 'shift' })).machines[0]!;
      runUpkeep(live, now);
      const complete = (await kpiCaller({ db: live, now: () => now }).call('kpis.overview', { period: 'shift' })).machines[0]!;
      expect(partial.oee).toEqual(complete.oee);
      expect(partial.output).toEqual(complete.output);
      // 690 − 180 min of the shift still to come; run 598 min 20 s − 175 min (from 17:05 on).
      expect(partial.oee.plannedMs).toBe(PLANNED - (2 * HOUR + 54 * MINUTE + 40_000));
      expect(partial.oee.runMs).toBe(RUN_MS - (2 * HOUR + 54 * MINUTE + 40_000));
      expect(partial.state).toBe('running');
    } finally {
      live.close();
      removeDir(fresh);
    }
  });
});

describe('an over-midnight shift with planned downtime', () => {
  // Planned: 20:00–08:00 minus the meal break 00:00–00:30 and the downtime 05:00–05:30 = 660 min.
  // The machine ran through both (neither its run time nor its parts count) and idled 02:00–02:20.
  it('counts only planned production time', async () => {
    const caller = build();
    await configure(caller);
    const overview = await caller.call('kpis.overview', { period: 'shift', at: m(3, 0, 0, 5) });
    expect(overview.period).toMatchObject({ from: m(20), to: m(8, 0, 0, 5), label: 'Night shift, 2026-05-04' });
    const imm = overview.machines.find((machine) => machine.machineId === 'm2')!;
    expect(imm.oee.plannedMs).toBe(660 * MINUTE);
    expect(imm.oee.runMs).toBe(640 * MINUTE);
    expect(imm.output).toEqual({ total: 640, good: 640, scrap: 0 });
    expect(imm.oee.availability).toBeCloseTo(640 / 660, 12);
    expect(imm.oee.performance).toBeCloseTo(50 / 60, 12);
    expect(imm.oee.quality).toBe(1);
    expect(imm.oee.oee).toBeCloseTo((640 * 50) / (660 * 60), 12);
    expect(imm.losses).toMatchObject({ plannedStopMs: 60 * MINUTE, unplannedStopMs: 20 * MINUTE, microStopMs: 0, byReason: { unassigned: 20 * MINUTE } });
    expect(imm.energyKwh).toBeNull();
    // Machine 1 made nothing that night: no data is time it did not run (its last sample, at 19:59,
    // holds for the historian's two minutes: one minute into the night shift).
    const cnc = overview.machines.find((machine) => machine.machineId === 'm1')!;
    expect(cnc.oee).toMatchObject({ plannedMs: 690 * MINUTE, runMs: MINUTE, performance: 0, oee: 0 });
  });

  it('splits it between the days, and sums the days to the week', async () => {
    const caller = build();
    await configure(caller);
    const may4 = (await caller.call('kpis.overview', { period: 'day', at: m(12) })).machines.find((machine) => machine.machineId === 'm2')!;
    // 20:00–24:00 on the 4th.
    expect([may4.oee.plannedMs, may4.output.total]).toEqual([4 * HOUR, 240]);
    const may5 = (await caller.call('kpis.overview', { period: 'day', at: m(12, 0, 0, 5) })).machines.find((machine) => machine.machineId === 'm2')!;
    // 00:00–09:00 on the 5th (now): the night shift's 8 hours minus the break and the downtime, and the
    // day shift's first hour (its last sample, at 07:59, holds into it for a minute).
    expect([may5.oee.plannedMs, may5.oee.runMs, may5.output.total]).toEqual([8 * HOUR, 401 * MINUTE, 400]);
    const week = await caller.call('kpis.overview', { period: 'week', at: m(12) });
    expect(week.period).toMatchObject({ label: 'Week 19, 2026', current: true, from: cst(2026, 5, 4), to: cst(2026, 5, 11) });
    const weekImm = week.machines.find((machine) => machine.machineId === 'm2')!;
    expect(weekImm.oee.plannedMs).toBe(may4.oee.plannedMs + may5.oee.plannedMs);
    expect(weekImm.output.total).toBe(640);
  });
});

describe('stops and their reasons', () => {
  it('lists stops with the time they cost, micro-stops only when asked for', async () => {
    const caller = build();
    await configure(caller);
    const { stops, reasons } = await caller.call('stops.list', { machineId: 'm1', from: m(8), to: m(20) });
    expect(stops.map((stop) => [stop.start, stop.end, stop.state, stop.plannedMs])).toEqual([
      [m(11), m(11, 30), 'alarm', 30 * MINUTE],
      [m(12), m(12, 30), 'idle', 0],
      [m(14), m(15), 'unknown', HOUR],
    ]);
    expect(reasons.map((reason) => reason.code)).toContain('breakdown');
    const all = await caller.call('stops.list', { machineId: 'm1', from: m(8), to: m(20), includeMicro: true });
    expect(all.stops.filter((stop) => stop.micro).map((stop) => [stop.start, stop.durationMs])).toEqual([[m(10), 100_000]]);
  });

  it('moves stop time between the loss bars as operators give reasons', async () => {
    const caller = build();
    await configure(caller);
    const cncOf = async () => (await caller.call('kpis.overview', { period: 'shift', at: m(10) })).machines.find((machine) => machine.machineId === 'm1')!;
    // Cached once computed: the shift is closed.
    await cncOf();
    expect(db.prepare("SELECT count(*) FROM kpi_cache WHERE subject = 'm1'").pluck().get()).toBe(1);

    const stop = await caller.call('stops.setReason', { machineId: 'm1', stopStart: m(11), reason: 'breakdown' }, { role: 'operator', actor: 'tablet 192.168.1.31' });
    expect(stop).toMatchObject({ reason: 'breakdown', reasonBy: 'tablet 192.168.1.31', reasonAt: NOW });
    let cnc = await cncOf();
    expect(cnc.losses.byReason).toEqual({ breakdown: 30 * MINUTE, unassigned: 60 * MINUTE });
    expect(cnc.losses.unplannedStopMs).toBe(90 * MINUTE);

    // The hour the device was off was planned maintenance after all: a planned stop, out of planned time.
    await caller.call('stops.setReason', { machineId: 'm1', stopStart: m(14), reason: 'plannedMaintenance' }, { role: 'operator' });
    cnc = await cncOf();
    expect(cnc.losses).toMatchObject({ plannedStopMs: 90 * MINUTE, unplannedStopMs: 30 * MINUTE, microStopMs: 100_000, byReason: { breakdown: 30 * MINUTE } });
    expect(cnc.oee.plannedMs).toBe(630 * MINUTE);
    expect(cnc.oee.availability).toBeCloseTo((598 * MINUTE + 20_000) / (630 * MINUTE), 12);

    // Cleared again.
    await caller.call('stops.setReason', { machineId: 'm1', stopStart: m(14), reason: null }, { role: 'operator' });
    cnc = await cncOf();
    expect(cnc.oee.plannedMs).toBe(690 * MINUTE);
    expect(cnc.losses.byReason).toEqual({ breakdown: 30 * MINUTE, unassigned: 60 * MINUTE });
    const listed = await caller.call('stops.list', { machineId: 'm1', from: m(8), to: m(20) });
    expect(listed.stops.map((one) => one.reason)).toEqual(['breakdown', null, null]);
  });

  it('refuses a reason for a micro-stop, an unknown reason, a stop that is not there, and a viewer', async () => {
    const caller = build();
    await configure(caller);
    const refusal = async (input: unknown, role: 'viewer' | 'operator' = 'operator') => {
      try {
        await caller.call('stops.setReason', input, { role });
        return null;
      } catch (error) {
        return error instanceof AppError ? error.message : String(error);
      }
    };
    expect(await refusal({ machineId: 'm1', stopStart: m(10), reason: 'breakdown' })).toBe(
      'The stop of CNC-1 at 2026-05-04 10:00:00 lasted 100 s, less than the 120 s below which a stop is a micro-stop. Micro-stops are counted together and take no reason.',
    );
    expect(await refusal({ machineId: 'm1', stopStart: m(11), reason: 'coffee' })).toContain('"coffee" is not a stop reason');
    expect(await refusal({ machineId: 'm1', stopStart: m(11, 5), reason: 'breakdown' })).toBe(
      'There is no stop of CNC-1 starting at 2026-05-04 11:05:00. Refresh the list of stops.',
    );
    expect(await refusal({ machineId: 'nope', stopStart: m(11), reason: 'breakdown' })).toContain('There is no machine "nope"');
    expect(await refusal({ machineId: 'm1', stopStart: m(11), reason: 'breakdown' }, 'viewer')).toContain('may not do "stops.setReason"');
  });

  it('counts a stop as a micro-stop or not by the machine\'s limit, re-sorting stored stops when it changes', async () => {
    const caller = build();
    await configure(caller);
    const cncOf = async () => (await caller.call('kpis.overview', { period: 'shift', at: m(10) })).machines.find((machine) => machine.machineId === 'm1')!;
    expect((await cncOf()).losses).toMatchObject({ microStopMs: 100_000, unplannedStopMs: 90 * MINUTE });
    // Stops under 35 minutes are micro-stops now: the alarm joins them.
    await caller.call('kpis.setMachines', { ...machineSettings, machines: [{ ...machine1, microStopS: 35 * 60 }, machine2] });
    expect((await cncOf()).losses).toMatchObject({ microStopMs: 30 * MINUTE + 100_000, unplannedStopMs: 60 * MINUTE, byReason: { unassigned: 60 * MINUTE } });
    // And under 10 seconds: none.
    await caller.call('kpis.setMachines', { ...machineSettings, machines: [{ ...machine1, microStopS: 10 }, machine2] });
    expect((await cncOf()).losses).toMatchObject({ microStopMs: 0, unplannedStopMs: 90 * MINUTE + 100_000 });
  });
});

describe('energy', () => {
  it('prices energy by tariff band and finds the highest 15-minute demand', async () => {
    const caller = build();
    await configure(caller);
    // 4 May: 1,440 minutes at 1 kWh, and 15 minutes at 3 kWh (09:00–09:15, a peak hour).
    const day = await caller.call('kpis.overview', { period: 'day', at: m(12) });
    expect(day.plant.energyKwh).toBeCloseTo(1470, 9);
    expect(day.plant.peakDemandKw).toBeCloseTo(180, 9);
    // Peak 08–11 and 18–21 (390 kWh), valley 23–07 (480 kWh), flat the rest (600 kWh).
    expect(day.plant.energyCost).toBeCloseTo(390 * 1.05 + 480 * 0.32 + 600 * 0.65, 9);
    // The day shift: peak 08–11 (210 kWh) and 18–20 (120 kWh), flat 11–18 (420 kWh).
    const shift = await caller.call('kpis.overview', { period: 'shift', at: m(10) });
    expect(shift.plant.energyKwh).toBeCloseTo(750, 9);
    expect(shift.plant.energyCost).toBeCloseTo(330 * 1.05 + 420 * 0.65, 9);
    // The night shift has no quarter hour above 60 kW.
    const night = await caller.call('kpis.overview', { period: 'shift', at: m(22) });
    expect(night.plant.peakDemandKw).toBeCloseTo(60, 9);
  });

  it('cuts bands at minutes inside the hour, over midnight, and in the months they apply', async () => {
    const caller = build();
    await configure(caller);
    await caller.call('kpis.setTariff', {
      currency: 'CNY',
      prices: { critical: 2, peak: 1, flat: 0.5, valley: 0.25 },
      bands: [
        { band: 'critical', start: '09:10', end: '09:20', months: [5] },
        { band: 'peak', start: '10:30', end: '11:15' },
        { band: 'valley', start: '22:45', end: '06:10' },
        // Not in May.
        { band: 'critical', start: '13:00', end: '14:00', months: [7, 8] },
      ],
    });
    const day = await caller.call('kpis.overview', { period: 'day', at: m(12) });
    // critical: 09:10–09:15 at 3 kWh/min + 09:15–09:20 at 1 = 20 kWh; peak 45; valley 06:10 + 1:15 = 445 min.
    const critical = 20;
    const peak = 45;
    const valley = 370 + 75;
    const flat = 1470 - critical - peak - valley;
    expect(day.plant.energyCost).toBeCloseTo(critical * 2 + peak + flat * 0.5 + valley * 0.25, 9);
  });

  it('refuses overlapping bands, with the band names in the caller\'s language', async () => {
    const caller = build();
    const overlapping = {
      prices: { peak: 1, flat: 0.5, valley: 0.25 },
      bands: [
        { band: 'peak', start: '08:00', end: '12:00' },
        { band: 'valley', start: '23:00', end: '08:30' },
      ],
    };
    await expect(caller.call('kpis.setTariff', overlapping, { locale: 'zh-CN' })).rejects.toMatchObject({ key: 'error.tariffBandsOverlap', params: { first: '峰', second: '谷', time: '08:00' } });
  });
});
