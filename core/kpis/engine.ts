// The KPI engine: OEE and its losses, output and energy per machine, and the plant's energy, cost by
// tariff band and peak demand, for any period of the shift calendar — and custom KPIs declared as
// formulas over the same figures or over points' history.
//
// OEE follows its textbook definition over planned production time (shifts minus breaks, holidays
// and planned downtime, from when the machine's history begins):
//   availability = run time / planned time          (run time: time in a running state)
//   performance  = parts × ideal cycle time / run time   (above 1 means the ideal cycle time is wrong)
//   quality      = good parts / parts
//   OEE = availability × performance × quality = good parts × ideal cycle time / planned time.
// The time the machine did not run splits into micro-stops (stops shorter than the machine's limit)
// and unplanned stops, which operators give reasons; a stop given a planned reason (planned
// maintenance) becomes a planned stop and leaves planned time. Time with no data counts as a stop.
//
// Every figure is a sum (or, for peak demand, a maximum) over the period, so a week or a month is the
// sum of its days: closed days are computed once and kept in kpi_cache, the current one is computed
// live. Run time, parts and energy come from the historian's rollups (core/kpis/history.ts); stops
// from the stops found in the raw state samples (core/kpis/stops.ts).
import { createHash } from 'node:crypto';
import { AppError, type DeviceState, type Locale, type Quality } from '../../shared/index.ts';
import type { KpiPeriod, Losses, MachineOverview, MachineState, PlantOverview, StateSpan } from '../../shared/contract/kpi-calls.ts';
import type { ShiftCalendar } from '../../shared/domain/calendar.ts';
import { UNASSIGNED_REASON, type Machine, type MachineSettings, type Meter } from '../../shared/domain/machines.ts';
import { checkKpiDefinition, kpiStatus, TARIFF_BANDS, type KpiDefinition, type MachineMeasure, type Tariff, type TariffBand } from '../../shared/domain/kpis.ts';
import { LocalTime } from '../historian/export/local-time.ts';
import { HOUR_MS, MINUTE_MS } from '../historian/rollup.ts';
import type { Db } from '../storage/database.ts';
import { DAY_MS, daysOf, periodAt, periodLabel, PlanView, PlantClock, type CalendarPeriod } from './calendar.ts';
import { DEFAULT_MAX_HOLD_MS, HistoryReader, readPoints, type GroupedInterval, type PointInfo, type Sums } from './history.ts';
import { intersect, normalise, subtract, total, type Interval } from './intervals.ts';
import { classify, StopTracker, type StopWithReason } from './stops.ts';
import { bandIntervals } from './tariff.ts';

const QUARTER_MS = 15 * MINUTE_MS;
const KWH_PER_KW_MS = 1 / 3_600_000;
/** kpi_cache rows holding the sum of a machine's leading closed ranges (see #machineTally). */
const MACHINE_PREFIX_KPI = 'machine-sum';

/** What the engine computes with: the three settings documents, and the zone the calendar's null stands for. */
export interface KpiSettings {
  calendar: ShiftCalendar;
  machines: MachineSettings;
  tariff: Tariff;
  /** The plant's time zone (the calendar's, or the host's when it names none). */
  timeZone: string;
}

/** The live connection and values of the devices, for what a machine is doing now. */
export interface LiveStatus {
  status(deviceId: string): { state: DeviceState } | undefined;
  latest(pointId: string): { ts: number; value: number | string | null; quality: Quality } | undefined;
}

export interface KpiEngineOptions {
  now: number;
  maxHoldMs?: number;
  lateMs?: number;
  live?: LiveStatus;
  /** When each point's history begins, kept between engines (see HistoryReader). */
  firstTimes?: Map<number, { value: number | null; at: number }>;
}

/** A machine's additive figures over some time. */
export interface MachineTally {
  plannedMs: number;
  plannedStopMs: number;
  runMs: number;
  microStopMs: number;
  unplannedStopMs: number;
  byReason: Record<string, number>;
  /** Time in a running state and time with the machine's history known, over the whole period (not only planned time): utilisation. */
  runAllMs: number;
  knownMs: number;
  /** Increase of the part counter (counts, before partsPerCount). */
  counts: number;
  scrap: number | null;
  good: number | null;
  energyKwh: number | null;
}

/** The plant meter's figures over some time. */
export interface PlantTally {
  energyKwh: number | null;
  byBand: Record<TariffBand, number> | null;
  peakDemandKw: number | null;
}

const emptyMachineTally = (): MachineTally => ({
  plannedMs: 0,
  plannedStopMs: 0,
  runMs: 0,
  microStopMs: 0,
  unplannedStopMs: 0,
  byReason: {},
  runAllMs: 0,
  knownMs: 0,
  counts: 0,
  scrap: null,
  good: null,
  energyKwh: null,
});

const addNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);
const maxNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

export function addMachineTallies(a: MachineTally, b: MachineTally): MachineTally {
  const byReason = { ...a.byReason };
  for (const [reason, ms] of Object.entries(b.byReason)) byReason[reason] = (byReason[reason] ?? 0) + ms;
  return {
    plannedMs: a.plannedMs + b.plannedMs,
    plannedStopMs: a.plannedStopMs + b.plannedStopMs,
    runMs: a.runMs + b.runMs,
    microStopMs: a.microStopMs + b.microStopMs,
    unplannedStopMs: a.unplannedStopMs + b.unplannedStopMs,
    byReason,
    runAllMs: (a.runAllMs ?? 0) + (b.runAllMs ?? 0),
    knownMs: (a.knownMs ?? 0) + (b.knownMs ?? 0),
    counts: a.counts + b.counts,
    scrap: addNullable(a.scrap, b.scrap),
    good: addNullable(a.good, b.good),
    energyKwh: addNullable(a.energyKwh, b.energyKwh),
  };
}

function addPlantTallies(a: PlantTally, b: PlantTally): PlantTally {
  let byBand: Record<TariffBand, number> | null = a.byBand ?? b.byBand;
  if (a.byBand && b.byBand) {
    byBand = { ...a.byBand };
    for (const band of TARIFF_BANDS) byBand[band] += b.byBand[band];
  }
  return { energyKwh: addNullable(a.energyKwh, b.energyKwh), byBand, peakDemandKw: maxNullable(a.peakDemandKw, b.peakDemandKw) };
}

/** OEE and its losses from a machine's tally. */
export function oeeOf(machine: Pick<Machine, 'idealCycleTimeS' | 'partsPerCount' | 'scrapCounter' | 'goodCounter'>, tally: MachineTally) {
  const total = tally.counts * machine.partsPerCount;
  const idealPartMs = (machine.idealCycleTimeS * 1000) / machine.partsPerCount;
  let scrap = 0;
  if (machine.goodCounter !== undefined) scrap = total - Math.min(total, Math.max(0, tally.good ?? 0));
  else if (machine.scrapCounter !== undefined) scrap = Math.min(total, Math.max(0, tally.scrap ?? 0));
  const good = total - scrap;
  const planned = tally.plannedMs;
  const run = tally.runMs;
  const availability = planned > 0 ? run / planned : null;
  const performance = run > 0 ? (total * idealPartMs) / run : null;
  const quality = total > 0 ? good / total : null;
  const oee = availability !== null && performance !== null && quality !== null ? availability * performance * quality : planned > 0 ? 0 : null;
  const speedLossMs = Math.max(0, run - total * idealPartMs);
  const qualityLossMs = Math.min(Math.max(0, run - speedLossMs), scrap * idealPartMs);
  return { availability, performance, quality, oee, total, good, scrap, speedLossMs, qualityLossMs, idealPartMs };
}

function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** The settings a figure depends on (names and translations left out: they change no number). */
export function settingsHash(settings: KpiSettings, maxHoldMs: number): string {
  const { calendar, machines, tariff, timeZone } = settings;
  return hashOf([
    timeZone,
    maxHoldMs,
    { ...calendar, shifts: calendar.shifts.map(({ name: _name, breaks, ...shift }) => ({ ...shift, breaks: breaks.map(({ name: _breakName, ...rest }) => rest) })) },
    machines.machines.map(({ name: _name, ...machine }) => machine),
    machines.plantMeter,
    machines.stopReasons.filter((reason) => reason.planned).map((reason) => reason.code),
    tariff,
  ]);
}

interface Range {
  from: number;
  to: number;
  kind: KpiPeriod;
}

/** The result of a custom KPI over a period. */
export interface KpiValue {
  value: number | null;
  status: 'good' | 'bad' | null;
  inputs: Record<string, number | null>;
}

export class KpiEngine {
  readonly #db: Db;
  readonly #settings: KpiSettings;
  readonly #now: number;
  readonly #lateMs: number;
  readonly #live: LiveStatus | undefined;
  readonly #clock: PlantClock;
  readonly #history: HistoryReader;
  readonly #stops: StopTracker;
  readonly #points: Map<string, PointInfo>;
  readonly #hash: string;
  readonly #sql;
  readonly #prepared = new Map<string, number>();
  readonly #finalThrough = new Map<string, number>();
  /** Figures of closed periods computed in this run, stored together at the end (one transaction). */
  readonly #pendingCache: unknown[][] = [];

  constructor(db: Db, settings: KpiSettings, options: KpiEngineOptions) {
    this.#db = db;
    this.#settings = settings;
    this.#now = options.now;
    this.#lateMs = options.lateMs ?? 10_000;
    this.#live = options.live;
    this.#clock = PlantClock.of(settings.timeZone);
    const maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    this.#history = new HistoryReader(db, maxHoldMs, options.firstTimes);
    this.#stops = new StopTracker(db, this.#history, { now: options.now, lateMs: this.#lateMs });
    this.#points = readPoints(db);
    this.#hash = settingsHash(settings, maxHoldMs);
    this.#sql = {
      cached: db
        .prepare(
          `SELECT period_start, value FROM kpi_cache WHERE kpi = ? AND subject = ? AND period_kind = ? AND settings = ?
           AND period_start >= ? AND period_start < ?`,
        )
        .raw(),
      cachedAt: db.prepare('SELECT value FROM kpi_cache WHERE kpi = ? AND subject = ? AND period_kind = ? AND settings = ? AND period_start = ?').pluck(),
      store: db.prepare(
        `INSERT OR REPLACE INTO kpi_cache (kpi, subject, period_kind, period_start, period_end, settings, value, computed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      demandEnergy: db
        .prepare(
          `WITH seg(f, t, g) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))
           SELECT g, max(e) FROM (
             SELECT seg.g AS g, r.ts / ${QUARTER_MS} AS q, sum(r.increase) AS e
             FROM seg CROSS JOIN rollups AS r ON r.resolution = ${MINUTE_MS} AND r.point = ? AND r.ts >= seg.f AND r.ts < seg.t
             GROUP BY g, q)
           GROUP BY g`,
        )
        .raw(),
      demandPower: db
        .prepare(
          `WITH seg(f, t, g) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))
           SELECT g, max(p) FROM (
             SELECT seg.g AS g, r.ts / ${QUARTER_MS} AS q, sum(r.twa * r.covered_ms) / sum(r.covered_ms) AS p
             FROM seg CROSS JOIN rollups AS r ON r.resolution = ${MINUTE_MS} AND r.point = ? AND r.ts >= seg.f AND r.ts < seg.t
             WHERE r.covered_ms > 0 GROUP BY g, q)
           GROUP BY g`,
        )
        .raw(),
    };
  }

  get clock(): PlantClock {
    return this.#clock;
  }

  get stops(): StopTracker {
    return this.#stops;
  }

  get calendar(): ShiftCalendar {
    return this.#settings.calendar;
  }

  /** The stop reasons operators pick from. */
  get reasons(): MachineSettings['stopReasons'] {
    return this.#settings.machines.stopReasons;
  }

  periodLabel(period: CalendarPeriod, locale: Locale): string {
    return periodLabel(period, locale);
  }

  /** An instant as the plant's wall clock shows it: 'YYYY-MM-DD HH:MM:SS'. */
  describeTime(ts: number): string {
    return new LocalTime(this.#clock.timeZone).format(ts).slice(0, 19);
  }

  /** Makes a machine's stops known from `from` until now (see StopTracker.prepare). */
  prepareStops(machine: Machine, from: number): void {
    const statePoint = this.#points.get(machine.stateTag);
    if (statePoint) this.#prepareStops(machine, statePoint, from);
  }

  /** The period of `kind` holding `at` (default now). */
  period(kind: KpiPeriod, at = this.#now): CalendarPeriod {
    return periodAt(this.#settings.calendar, this.#clock, kind, at);
  }

  machine(machineId: string): Machine {
    const machine = this.#settings.machines.machines.find((candidate) => candidate.id === machineId);
    if (!machine) throw new AppError('not_found', 'error.machineNotFound', { params: { machine: machineId } });
    return machine;
  }

  /** The plant overview for the period of `kind` holding `at`. */
  overview(kind: KpiPeriod, at: number | undefined, locale: Locale): PlantOverview {
    const period = this.period(kind, at ?? this.#now);
    const ranges = this.#rangesOf(period);
    const plan = new PlanView(this.#settings.calendar, this.#clock, period.from, period.to);
    const end = Math.min(period.to, this.#now);
    const machines: MachineOverview[] = [];
    let plantTally = emptyMachineTally();
    let weightedOee = 0;
    let plannedSum = 0;
    let meteredMachines = 0;
    // Stops of every machine first, stored in one transaction.
    const requests = this.#settings.machines.machines.flatMap((machine) => {
      const statePoint = this.#points.get(machine.stateTag);
      return statePoint ? [{ machine, statePoint, from: period.from, until: this.#now }] : [];
    });
    this.#stops.prepareMany(requests);
    for (const request of requests) this.#prepared.set(request.machine.id, request.from);
    for (const machine of this.#settings.machines.machines) {
      const tally = this.#machineTally(machine, ranges, plan, true);
      const oee = oeeOf(machine, tally);
      plantTally = addMachineTallies(plantTally, tally);
      if (tally.plannedMs > 0) {
        weightedOee += (oee.oee ?? 0) * tally.plannedMs;
        plannedSum += tally.plannedMs;
      }
      if (tally.energyKwh !== null) meteredMachines++;
      const now = this.#stateNow(machine);
      const losses: Losses = {
        plannedStopMs: Math.round(tally.plannedStopMs),
        unplannedStopMs: Math.round(tally.unplannedStopMs),
        microStopMs: Math.round(tally.microStopMs),
        speedLossMs: Math.round(oee.speedLossMs),
        qualityLossMs: Math.round(oee.qualityLossMs),
        byReason: Object.fromEntries(Object.entries(tally.byReason).map(([reason, ms]) => [reason, Math.round(ms)])),
      };
      machines.push({
        machineId: machine.id,
        name: machine.name,
        deviceId: machine.deviceId,
        state: now.state,
        stateSince: now.since,
        oee: {
          availability: oee.availability,
          performance: oee.performance,
          quality: oee.quality,
          oee: oee.oee,
          plannedMs: Math.round(tally.plannedMs),
          runMs: Math.round(tally.runMs),
        },
        losses,
        output: { total: oee.total, good: oee.good, scrap: oee.scrap },
        energyKwh: tally.energyKwh,
        kwhPerPart: tally.energyKwh !== null && oee.good > 0 ? tally.energyKwh / oee.good : null,
        timeline: this.#timeline(machine, period.from, end),
      });
    }
    const plant = this.#plantTally(ranges);
    this.#storeCache();
    const energyKwh = plant.energyKwh ?? (meteredMachines > 0 ? plantTally.energyKwh : null);
    const { prices } = this.#settings.tariff;
    const energyCost = plant.byBand ? TARIFF_BANDS.reduce((sum, band) => sum + plant.byBand![band] * prices[band], 0) : null;
    return {
      period: { kind: period.kind, from: period.from, to: period.to, label: periodLabel(period, locale), current: period.from <= this.#now && this.#now < period.to },
      machines,
      plant: {
        oee: plannedSum > 0 ? weightedOee / plannedSum : null,
        output: machines.reduce((sum, machine) => sum + machine.output.good, 0),
        energyKwh: energyKwh === null ? null : Math.max(0, energyKwh),
        energyCost: energyCost === null ? null : Math.max(0, energyCost),
        peakDemandKw: plant.peakDemandKw === null ? null : Math.max(0, plant.peakDemandKw),
      },
      computedAt: this.#now,
    };
  }

  /**
   * Computes and caches what a plant manager is likely to ask for next, for one machine: the closed
   * days of this month and the last, and the closed shifts of the last two days — so an overview,
   * even the first after a restart, reads them from the cache. Also keeps the machine's stops found.
   */
  warmMachine(machineId: string): void {
    const machine = this.machine(machineId);
    const { days, shifts, plan, month } = this.#warmRanges();
    const statePoint = this.#points.get(machine.stateTag);
    if (statePoint && days[0]) this.#prepareStops(machine, statePoint, days[0].from);
    if (days.length > 0) this.#machineTally(machine, days, plan);
    // The sum of this month's closed days, for the month's overview.
    const monthDays = days.filter((day) => day.from >= month.from);
    if (monthDays.length > 1) {
      this.#storeCache();
      this.#machineTally(machine, monthDays, plan, true);
    }
    if (shifts.length > 0) this.#machineTally(machine, shifts, plan);
    this.#storeCache();
    this.#stops.prune(machine.id);
  }

  /** warmMachine for the plant meter. */
  warmPlant(): void {
    const { days, shifts } = this.#warmRanges();
    if (days.length > 0) this.#plantTally(days);
    if (shifts.length > 0) this.#plantTally(shifts);
    this.#storeCache();
  }

  #warmCache: { days: Range[]; shifts: Range[]; plan: PlanView; month: CalendarPeriod } | undefined;

  #warmRanges(): { days: Range[]; shifts: Range[]; plan: PlanView; month: CalendarPeriod } {
    if (this.#warmCache) return this.#warmCache;
    const closedBy = this.#now - this.#lateMs;
    const month = this.period('month');
    const previous = this.period('month', month.from - 1);
    const plan = new PlanView(this.#settings.calendar, this.#clock, previous.from, month.to);
    const days = daysOf(this.#settings.calendar, this.#clock, { from: previous.from, to: month.to })
      .filter((day) => day.to <= closedBy)
      .map((day) => ({ from: day.from, to: day.to, kind: 'day' as const }));
    const shifts = plan.occurrences
      .filter((occurrence) => occurrence.to <= closedBy && occurrence.to > this.#now - 2 * DAY_MS)
      .map((occurrence) => ({ from: occurrence.from, to: occurrence.to, kind: 'shift' as const }));
    this.#warmCache = { days, shifts, plan, month };
    return this.#warmCache;
  }

  /** A machine's figures over a period (cached days summed, the rest computed). */
  machineTally(machineId: string, period: CalendarPeriod): MachineTally {
    const plan = new PlanView(this.#settings.calendar, this.#clock, period.from, period.to);
    const tally = this.#machineTally(this.machine(machineId), this.#rangesOf(period), plan);
    this.#storeCache();
    return tally;
  }

  /** A custom KPI over the period of `kind` holding `at`. */
  evaluate(definition: KpiDefinition, kind: KpiPeriod, at: number | undefined, locale: Locale): KpiValue & { period: CalendarPeriod } {
    const compiled = checkKpiDefinition(definition, locale);
    const period = this.period(kind, at ?? this.#now);
    // Check every input before reading any history.
    for (const input of definition.inputs) {
      if (input.source === 'machine') {
        this.machine(input.machineId);
        continue;
      }
      const point = this.#points.get(input.pointId);
      if (!point) throw new AppError('not_found', 'error.kpiInputPoint', { params: { kpi: definition.name, input: input.name, point: input.pointId } });
      if (input.aggregation === 'increase' && point.kind !== 'counter') {
        throw new AppError('invalid_input', 'error.kpiInputNotCounter', { params: { kpi: definition.name, input: input.name, point: input.pointId, kind: point.kind } });
      }
      if (input.aggregation === 'timeInState' && point.kind !== 'state') {
        throw new AppError('invalid_input', 'error.kpiInputNotState', { params: { kpi: definition.name, input: input.name, point: input.pointId, kind: point.kind } });
      }
    }
    const end = Math.min(period.to, this.#now);
    const closed = this.#isFinalPeriod(period, definition);
    const cacheKey = `kpi:${hashOf(definition)}`;
    if (closed) {
      const hit = this.#sql.cached.all(cacheKey, '', period.kind, this.#hash, period.from, period.from + 1) as [number, string][];
      if (hit[0]) return { ...(JSON.parse(hit[0][1]) as KpiValue), period };
    }
    const plan = new PlanView(this.#settings.calendar, this.#clock, period.from, period.to);
    const planned = intersect(plan.forMachine().planned, [{ from: period.from, to: end }]);
    const inputs: Record<string, number | null> = {};
    const tallies = new Map<string, MachineTally>();
    for (const input of definition.inputs) {
      if (input.source === 'machine') {
        const machine = this.machine(input.machineId);
        let tally = tallies.get(machine.id);
        if (!tally) {
          tally = this.#machineTally(machine, this.#rangesOf(period), plan);
          tallies.set(machine.id, tally);
        }
        inputs[input.name] = measureOf(machine, tally, input.measure);
        continue;
      }
      const point = this.#points.get(input.pointId)!;
      const intervals: GroupedInterval[] = (input.within === 'planned' ? planned : end > period.from ? [{ from: period.from, to: end }] : []).map(
        (interval) => ({ ...interval, group: 0 }),
      );
      if (input.aggregation === 'last') {
        inputs[input.name] = this.#history.last(point, intervals);
        continue;
      }
      const sums = this.#history.sums(point, intervals, 1)[0]!;
      inputs[input.name] = aggregate(sums, input.aggregation, input.states ?? []);
    }
    const value = compiled.evaluate(inputs);
    const result: KpiValue = { value, status: kpiStatus(value, definition.target, definition.goodDirection), inputs };
    if (closed) this.#pendingCache.push([cacheKey, '', period.kind, period.from, period.to, this.#hash, JSON.stringify(result), this.#now]);
    this.#storeCache();
    return { ...result, period };
  }

  /** Stores the figures of closed periods computed in this run. */
  #storeCache(): void {
    if (this.#pendingCache.length === 0) return;
    const rows = this.#pendingCache.splice(0);
    this.#db
      .transaction(() => {
        for (const row of rows) this.#sql.store.run(...row);
      })
      .immediate();
  }

  /** Whether a period's figures can no longer change: it is over, and its history rolled up and scanned for stops. */
  #isFinalPeriod(period: CalendarPeriod, definition: KpiDefinition): boolean {
    if (period.to > this.#now - this.#lateMs) return false;
    for (const input of definition.inputs) {
      if (input.source === 'machine') {
        const machine = this.machine(input.machineId);
        if (!this.#machineFinal(machine, period.to)) return false;
      } else {
        const point = this.#points.get(input.pointId);
        if (point && !this.#history.rolledUpTo(point.num, period.to)) return false;
      }
    }
    return true;
  }

  /** The ranges a period's figures are summed from: its days for a week or a month, else itself. */
  #rangesOf(period: CalendarPeriod): Range[] {
    if (period.kind === 'week' || period.kind === 'month') {
      return daysOf(this.#settings.calendar, this.#clock, period).map((day) => ({ from: day.from, to: day.to, kind: 'day' as const }));
    }
    return [{ from: period.from, to: period.to, kind: period.kind }];
  }

  #prepareStops(machine: Machine, statePoint: PointInfo, from: number): void {
    const prepared = this.#prepared.get(machine.id);
    if (prepared !== undefined && prepared <= from) return;
    this.#stops.prepare(machine, statePoint, from, this.#now);
    this.#prepared.set(machine.id, from);
    this.#finalThrough.delete(machine.id);
  }

  #historyStartOf(point: PointInfo): number | null {
    return this.#history.firstTime(point.num);
  }

  /** Whether a machine's figures up to `until` are final (rolled up, stops found and classified). */
  #machineFinal(machine: Machine, until: number): boolean {
    if (until > this.#now - this.#lateMs) return false;
    for (const pointId of [machine.stateTag, machine.partCounter, machine.scrapCounter, machine.goodCounter, machine.meter?.pointId]) {
      if (pointId === undefined) continue;
      const point = this.#points.get(pointId);
      if (point && !this.#history.rolledUpTo(point.num, until)) return false;
    }
    const statePoint = this.#points.get(machine.stateTag);
    if (statePoint) {
      this.#prepareStops(machine, statePoint, until);
      let final = this.#finalThrough.get(machine.id);
      if (final === undefined) {
        final = this.#stops.finalThrough(machine.id, machine.microStopS * 1000);
        this.#finalThrough.set(machine.id, final);
      }
      if (final < until) return false;
    }
    return true;
  }

  /**
   * A machine's tally over the ranges, from the cache where a range is closed and cached. With
   * `prefix`, the sum of the leading closed ranges is also kept as one row (kind `<kind>s`, from the
   * first range to the last one summed): the next ask over ranges beginning there reads that row
   * instead of one per range, and adds the rest in the same order — the same sums, fewer pages read.
   */
  #machineTally(machine: Machine, ranges: readonly Range[], plan: PlanView, prefix = false): MachineTally {
    if (ranges.length === 0) return emptyMachineTally();
    const kind = ranges[0]!.kind;
    const closedBy = this.#now - this.#lateMs;
    let start = 0;
    let sum = emptyMachineTally();
    if (prefix && ranges.length > 1) {
      const row = this.#sql.cachedAt.get(MACHINE_PREFIX_KPI, machine.id, `${kind}s`, this.#hash, ranges[0]!.from) as string | undefined;
      if (row !== undefined) {
        const kept = JSON.parse(row) as { count: number; through: number; tally: MachineTally };
        if (kept.count <= ranges.length && ranges[kept.count - 1]!.to === kept.through) {
          start = kept.count;
          sum = kept.tally;
        }
      }
    }
    const rest = ranges.slice(start);
    // Only closed ranges are ever cached.
    const closed = rest.filter((range) => range.to <= closedBy);
    const cached = new Map<number, MachineTally>();
    if (closed.length > 0) {
      for (const [from, value] of this.#sql.cached.all('machine', machine.id, kind, this.#hash, closed[0]!.from, closed.at(-1)!.to) as [number, string][]) {
        cached.set(from, JSON.parse(value) as MachineTally);
      }
    }
    const missing = rest.filter((range) => !cached.has(range.from));
    const computed = missing.length > 0 ? this.#computeMachine(machine, missing, plan) : [];
    const toStore: [Range, MachineTally][] = [];
    let finalCount = start;
    let finalSum: string | null = null;
    rest.forEach((range, index) => {
      let tally = cached.get(range.from);
      let final = tally !== undefined;
      if (!tally) {
        tally = computed[missing.indexOf(range)]!;
        if (range.to <= closedBy && this.#machineFinal(machine, range.to)) {
          toStore.push([range, tally]);
          final = true;
        }
      }
      sum = addMachineTallies(sum, tally);
      if (prefix && final && finalCount === start + index) {
        finalCount++;
        finalSum = JSON.stringify({ count: finalCount, through: range.to, tally: sum });
      }
    });
    for (const [range, tally] of toStore) this.#pendingCache.push(['machine', machine.id, range.kind, range.from, range.to, this.#hash, JSON.stringify(tally), this.#now]);
    if (finalSum !== null && finalCount > start && finalCount > 1) {
      this.#pendingCache.push([MACHINE_PREFIX_KPI, machine.id, `${kind}s`, ranges[0]!.from, ranges[finalCount - 1]!.to, this.#hash, finalSum, this.#now]);
    }
    return sum;
  }

  /** A machine's tallies over ranges (sorted, disjoint), one per range. */
  #computeMachine(machine: Machine, ranges: readonly Range[], plan: PlanView): MachineTally[] {
    const groups = ranges.length;
    const tallies = ranges.map(emptyMachineTally);
    const until = (range: Range) => Math.min(range.to, this.#now);
    const statePoint = this.#points.get(machine.stateTag);
    const first = ranges[0]!.from;
    const last = Math.max(first, ...ranges.map(until));
    let longStops: StopWithReason[] = [];
    if (statePoint) {
      this.#prepareStops(machine, statePoint, first);
      longStops = last > first ? this.#stops.longStops(machine.id, first, last) : [];
    }
    const plannedReasons = new Set(this.#settings.machines.stopReasons.filter((reason) => reason.planned).map((reason) => reason.code));
    const plannedByReason = normalise(
      longStops.filter((stop) => stop.reason !== null && plannedReasons.has(stop.reason)).map((stop) => ({ from: stop.start, to: stop.end })),
    );
    const historyStart = statePoint ? this.#historyStartOf(statePoint) : null;
    const machinePlan = plan.forMachine(machine.id);
    const planned: GroupedInterval[] = [];
    const plannedByGroup: Interval[][] = [];
    const wholeRanges: GroupedInterval[] = [];
    ranges.forEach((range, group) => {
      const end = until(range);
      const known = historyStart === null ? [] : [{ from: Math.max(range.from, historyStart), to: end }];
      let groupPlanned = intersect(machinePlan.planned, known);
      const reasonStops = intersect(groupPlanned, plannedByReason);
      groupPlanned = subtract(groupPlanned, reasonStops);
      tallies[group]!.plannedMs = total(groupPlanned);
      tallies[group]!.plannedStopMs = total(intersect(machinePlan.plannedStops, known)) + total(reasonStops);
      plannedByGroup.push(groupPlanned);
      for (const interval of groupPlanned) planned.push({ ...interval, group });
      if (end > range.from) wholeRanges.push({ from: range.from, to: end, group });
      tallies[group]!.knownMs = historyStart === null ? 0 : Math.max(0, end - Math.max(range.from, historyStart));
    });

    if (statePoint) {
      this.#history.stateTime(statePoint, planned, groups, machine.runningStates).forEach((run, group) => {
        tallies[group]!.runMs = Math.min(run, tallies[group]!.plannedMs);
      });
      this.#history.stateTime(statePoint, wholeRanges, groups, machine.runningStates).forEach((run, group) => {
        tallies[group]!.runAllMs = Math.min(run, tallies[group]!.knownMs);
      });
      this.#stops.microStopMs(machine.id, planned, groups).forEach((ms, group) => {
        tallies[group]!.microStopMs = ms;
      });
    }
    // OEE counts parts made in planned production time.
    const counter = (pointId: string | undefined) => {
      const point = pointId === undefined ? undefined : this.#points.get(pointId);
      return point ? this.#history.increase(point, planned, groups) : null;
    };
    counter(machine.partCounter)?.forEach((counts, group) => {
      tallies[group]!.counts = counts;
    });
    counter(machine.scrapCounter)?.forEach((scrap, group) => {
      tallies[group]!.scrap = scrap;
    });
    counter(machine.goodCounter)?.forEach((good, group) => {
      tallies[group]!.good = good;
    });
    if (machine.meter) {
      this.#energy(machine.meter, wholeRanges, groups)?.forEach((kwh, group) => {
        tallies[group]!.energyKwh = kwh;
      });
    }

    // Stops by reason, in planned time.
    const byReason = ranges.map(() => new Map<string, number>());
    for (const stop of longStops) {
      if (stop.reason !== null && plannedReasons.has(stop.reason)) continue;
      plannedByGroup.forEach((intervals, group) => {
        for (const interval of intervals) {
          if (interval.from >= stop.end) break;
          const ms = Math.min(stop.end, interval.to) - Math.max(stop.start, interval.from);
          if (ms > 0) {
            const reason = stop.reason ?? UNASSIGNED_REASON;
            byReason[group]!.set(reason, (byReason[group]!.get(reason) ?? 0) + ms);
          }
        }
      });
    }
    tallies.forEach((tally, group) => {
      const downtime = Math.max(0, tally.plannedMs - tally.runMs);
      tally.microStopMs = Math.min(tally.microStopMs, downtime);
      tally.unplannedStopMs = downtime - tally.microStopMs;
      // The stops found and the rollups' run time can disagree by a few seconds at the edges, and
      // time no stop covers (no raw samples left) has no reason: fit the reasons to the unplanned time.
      const reasons = byReason[group]!;
      const found = [...reasons.values()].reduce((sum, ms) => sum + ms, 0);
      const scale = found > tally.unplannedStopMs && found > 0 ? tally.unplannedStopMs / found : 1;
      for (const [reason, ms] of reasons) tally.byReason[reason] = ms * scale;
      const rest = tally.unplannedStopMs - Math.min(found, tally.unplannedStopMs);
      if (rest > 0) tally.byReason[UNASSIGNED_REASON] = (tally.byReason[UNASSIGNED_REASON] ?? 0) + rest;
    });
    return tallies;
  }

  /** Energy (kWh) of a meter over grouped intervals; null when the meter's point does not exist. */
  #energy(meter: Meter, intervals: readonly GroupedInterval[], groups: number): number[] | null {
    const point = this.#points.get(meter.pointId);
    if (!point) return null;
    if (meter.kind === 'energy') return this.#history.increase(point, intervals, groups);
    return this.#history.sums(point, intervals, groups).map((sums) => sums.integral * KWH_PER_KW_MS);
  }

  /** The plant meter's tallies over the ranges (cached where closed). */
  #plantTally(ranges: readonly Range[]): PlantTally {
    const meter = this.#settings.machines.plantMeter;
    const point = meter ? this.#points.get(meter.pointId) : undefined;
    if (!meter || !point || ranges.length === 0) return { energyKwh: null, byBand: null, peakDemandKw: null };
    const kind = ranges[0]!.kind;
    const cached = new Map<number, PlantTally>();
    for (const [start, value] of this.#sql.cached.all('plant', '', kind, this.#hash, ranges[0]!.from, ranges.at(-1)!.to) as [number, string][]) {
      cached.set(start, JSON.parse(value) as PlantTally);
    }
    const missing = ranges.filter((range) => !cached.has(range.from));
    const computed = missing.length > 0 ? this.#computePlant(meter, point, missing) : [];
    let sum: PlantTally = { energyKwh: null, byBand: null, peakDemandKw: null };
    const toStore: [Range, PlantTally][] = [];
    for (const range of ranges) {
      let tally = cached.get(range.from);
      if (!tally) {
        tally = computed[missing.indexOf(range)]!;
        if (range.to <= this.#now - this.#lateMs && this.#history.rolledUpTo(point.num, range.to)) toStore.push([range, tally]);
      }
      sum = addPlantTallies(sum, tally);
    }
    for (const [range, tally] of toStore) this.#pendingCache.push(['plant', '', range.kind, range.from, range.to, this.#hash, JSON.stringify(tally), this.#now]);
    return sum;
  }

  #computePlant(meter: Meter, point: PointInfo, ranges: readonly Range[]): PlantTally[] {
    const ends = ranges.map((range) => Math.min(range.to, this.#now));
    // Energy by tariff band: one group per range and band.
    const banded: GroupedInterval[] = [];
    ranges.forEach((range, index) => {
      const bands = bandIntervals(this.#settings.tariff, this.#clock, range.from, ends[index]!);
      TARIFF_BANDS.forEach((band, bandIndex) => {
        for (const interval of bands[band]) banded.push({ ...interval, group: index * TARIFF_BANDS.length + bandIndex });
      });
    });
    banded.sort((a, b) => a.from - b.from);
    const energy = this.#energy(meter, banded, ranges.length * TARIFF_BANDS.length) ?? [];
    const demand = this.#peakDemand(meter, point, ranges.map((range, index) => ({ from: range.from, to: ends[index]!, group: index })), ranges.length);
    return ranges.map((_range, index) => {
      const byBand = Object.fromEntries(TARIFF_BANDS.map((band, bandIndex) => [band, energy[index * TARIFF_BANDS.length + bandIndex] ?? 0])) as Record<TariffBand, number>;
      const hasTime = ends[index]! > ranges[index]!.from;
      return {
        energyKwh: hasTime ? TARIFF_BANDS.reduce((sum, band) => sum + byBand[band], 0) : null,
        byBand: hasTime ? byBand : null,
        peakDemandKw: demand[index] ?? null,
      };
    });
  }

  /**
   * The highest 15-minute average demand (kW) in each range: from the minute rollups, quarter by
   * quarter (quarter hours on the UTC clock are quarter hours on every zone's clock), and the
   * quarters not rolled up yet from the newest samples (a quarter under way counts as far as it got).
   */
  #peakDemand(meter: Meter, point: PointInfo, ranges: readonly GroupedInterval[], groups: number): (number | null)[] {
    const peaks: (number | null)[] = new Array(groups).fill(null);
    const progress = this.#history.progress(point.num);
    const rolledQuarters = progress ? Math.floor(progress.minuteDone / QUARTER_MS) * QUARTER_MS : Number.NEGATIVE_INFINITY;
    const segments: [number, number, number][] = [];
    const tail: GroupedInterval[] = [];
    for (const range of ranges) {
      const from = Math.ceil(range.from / QUARTER_MS) * QUARTER_MS;
      const rolledTo = Math.min(range.to, rolledQuarters);
      if (from < rolledTo) segments.push([from, rolledTo, range.group]);
      for (let quarter = Math.max(from, rolledQuarters); quarter < range.to; quarter += QUARTER_MS) {
        tail.push({ from: quarter, to: Math.min(range.to, quarter + QUARTER_MS), group: tail.length });
      }
    }
    if (segments.length > 0) {
      const statement = meter.kind === 'energy' ? this.#sql.demandEnergy : this.#sql.demandPower;
      for (const [group, peak] of statement.all(JSON.stringify(segments), point.num) as [number, number | null][]) {
        if (peak === null) continue;
        const kw = meter.kind === 'energy' ? (peak * HOUR_MS) / QUARTER_MS : peak;
        peaks[group] = maxNullable(peaks[group] ?? null, kw);
      }
    }
    if (tail.length > 0) {
      const sums = this.#history.sums(point, tail, tail.length);
      tail.forEach((quarter, index) => {
        const range = ranges.find((candidate) => quarter.from >= candidate.from && quarter.from < candidate.to)!;
        const quarterSums = sums[index]!;
        const kw =
          meter.kind === 'energy'
            ? (quarterSums.increase * HOUR_MS) / QUARTER_MS
            : quarterSums.coveredMs > 0
              ? quarterSums.integral / quarterSums.coveredMs
              : null;
        if (kw !== null && (quarterSums.count > 0 || quarterSums.coveredMs > 0)) peaks[range.group] = maxNullable(peaks[range.group] ?? null, kw);
      });
    }
    return peaks;
  }

  /** What the machine is doing now and since when: from the live device status when there is one, else from the history. */
  #stateNow(machine: Machine): { state: MachineState; since: number | null } {
    const statePoint = this.#points.get(machine.stateTag);
    if (statePoint) this.#prepareStops(machine, statePoint, this.#now);
    const open = this.#stops.openStop(machine.id);
    const historyState: MachineState | null = !statePoint ? null : open ? open.state : this.#historyStartOf(statePoint) === null ? null : 'running';
    let state: MachineState = historyState ?? 'unknown';
    if (this.#live) {
      const status = this.#live.status(machine.deviceId);
      const latest = this.#live.latest(machine.stateTag);
      if (!status || status.state === 'connecting') state = 'unknown';
      else if (status.state !== 'connected') state = 'offline';
      else if (!latest) state = 'unknown';
      else if (latest.quality !== 'good') state = 'offline';
      else state = typeof latest.value === 'number' ? classify(machine, latest.value) : 'unknown';
    }
    if (state === 'running') return { state, since: historyState === 'running' ? this.#stops.lastStopEnd(machine.id) : null };
    return { state, since: open && historyState !== 'running' ? open.start : null };
  }

  /**
   * The machine's states over [from, to) for a timeline: its stops (those too short to see at the
   * timeline's width dropped into the running around them) and running time between them.
   */
  #timeline(machine: Machine, from: number, to: number): StateSpan[] {
    if (to <= from) return [];
    const statePoint = this.#points.get(machine.stateTag);
    if (!statePoint) return [{ from, to, state: 'unknown' }];
    const historyStart = this.#historyStartOf(statePoint);
    if (historyStart === null || historyStart >= to) return [{ from, to, state: 'unknown' }];
    this.#prepareStops(machine, statePoint, from);
    const minSpanMs = (to - from) / 600;
    const stops = minSpanMs < machine.microStopS * 1000 ? this.#stops.allStops(machine.id, from, to) : this.#stops.longStops(machine.id, from, to);
    const spans: StateSpan[] = [];
    const push = (span: StateSpan) => {
      if (span.to <= span.from) return;
      const previous = spans.at(-1);
      if (previous && previous.state === span.state && previous.to === span.from) previous.to = span.to;
      else spans.push(span);
    };
    let at = from;
    if (historyStart > from) {
      push({ from, to: historyStart, state: 'unknown' });
      at = historyStart;
    }
    for (const stop of stops) {
      if (stop.end - stop.start < minSpanMs) continue;
      const start = Math.max(stop.start, at);
      const end = Math.min(stop.end, to);
      if (end <= start) continue;
      push({ from: at, to: start, state: 'running' });
      push({ from: start, to: end, state: stop.state });
      at = end;
    }
    push({ from: at, to, state: 'running' });
    return spans.map((span) => ({ from: Math.round(span.from), to: Math.round(span.to), state: span.state }));
  }
}

/** One number from a point's sums: counter increase, seconds in states, time-weighted average, min, max. */
function aggregate(sums: Sums, aggregation: 'increase' | 'timeInState' | 'average' | 'min' | 'max', states: readonly number[]): number | null {
  const known = sums.coveredMs > 0 || sums.count > 0;
  switch (aggregation) {
    case 'increase':
      return known ? sums.increase : null;
    case 'timeInState': {
      if (!known) return null;
      let ms = 0;
      for (const state of states) ms += sums.states.get(state) ?? 0;
      return ms / 1000;
    }
    case 'average':
      return sums.coveredMs > 0 ? sums.integral / sums.coveredMs : null;
    case 'min':
      return sums.min;
    case 'max':
      return sums.max;
  }
}

/** One of a machine's OEE figures, for a custom KPI; times in seconds. */
function measureOf(machine: Machine, tally: MachineTally, measure: MachineMeasure): number | null {
  const oee = oeeOf(machine, tally);
  switch (measure) {
    case 'plannedTime':
      return tally.plannedMs / 1000;
    case 'runTime':
      return tally.runMs / 1000;
    case 'utilisation':
      return tally.knownMs > 0 ? tally.runAllMs / tally.knownMs : null;
    case 'unplannedStopTime':
      return tally.unplannedStopMs / 1000;
    case 'microStopTime':
      return tally.microStopMs / 1000;
    case 'plannedStopTime':
      return tally.plannedStopMs / 1000;
    case 'totalParts':
      return oee.total;
    case 'goodParts':
      return oee.good;
    case 'scrapParts':
      return oee.scrap;
    case 'energyKwh':
      return tally.energyKwh;
    case 'availability':
      return oee.availability;
    case 'performance':
      return oee.performance;
    case 'quality':
      return oee.quality;
    case 'oee':
      return oee.oee;
  }
}
