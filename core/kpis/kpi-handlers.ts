// The core's implementation of the KPI calls (shared/contract/kpi-calls.ts): the plant overview, the
// shift calendar, machines and tariff settings, stops and their reasons, custom KPIs. Settings live in
// the settings table; changing one drops the cached figures of closed periods (they are computed again
// on the next ask).
import type { z } from 'zod';
import { AppError, type Locale } from '../../shared/index.ts';
import { CALENDAR_SETTINGS_KEY, defaultShiftCalendar, ShiftCalendarSchema, type ShiftCalendar } from '../../shared/domain/calendar.ts';
import { DEFAULT_TARIFF, TARIFF_SETTINGS_KEY, TariffSchema, type Tariff } from '../../shared/domain/kpis.ts';
import { MACHINES_SETTINGS_KEY, MachineSettingsSchema, type MachineSettings } from '../../shared/domain/machines.ts';
import { kpiCalls, type StopView } from '../../shared/contract/kpi-calls.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { hostTimeZone } from '../historian/export/local-time.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';
import { checkCalendar, PlanView } from './calendar.ts';
import { defaultMachineSettings } from './defaults.ts';
import { KpiEngine, type KpiSettings, type LiveStatus } from './engine.ts';
import { DEFAULT_MAX_HOLD_MS, readPoints } from './history.ts';
import { overlap } from './intervals.ts';
import type { StopWithReason } from './stops.ts';
import { checkTariff } from './tariff.ts';

type KpiCalls = typeof kpiCalls;
export type KpiCallName = keyof KpiCalls;
/** Handlers of the KPI calls, in the form core/contract/dispatcher.ts's Handlers has once they join the contract. */
export type KpiHandlers = {
  [Name in KpiCallName]: (
    input: z.output<KpiCalls[Name]['input']>,
    context: CallContext,
  ) => Promise<z.output<KpiCalls[Name]['output']>> | z.output<KpiCalls[Name]['output']>;
};

export interface KpiHandlerDeps {
  /** The database of the runtime (the file, or the stand-in while it is unavailable). */
  db: Db;
  logger: Logger;
  /** The devices' live status and latest values (the DeviceManager), for what each machine is doing now. */
  live?: LiveStatus;
  now?: () => number;
  /** The plant PC's time zone, used when the calendar names none. */
  hostTimeZone?: () => string;
  /** Longest a value holds without a newer sample: the historian maintenance's (120 s unless changed there). */
  maxHoldMs?: number;
  /**
   * How often closed periods are computed ahead into the cache, machine by machine between other work
   * (default every minute, the first 5 s after start); 0: never (tests call `warm` themselves).
   */
  warmIntervalMs?: number;
}

/** The handlers, and what runs beside them: the cache warming (stop it with `close`). */
export type KpiHandlersWithUpkeep = KpiHandlers & {
  /** Computes the closed periods not cached yet (one machine at a time, yielding in between). */
  warm(): Promise<void>;
  close(): void;
};

export function createKpiHandlers(deps: KpiHandlerDeps): KpiHandlersWithUpkeep {
  const { db, logger } = deps;
  const now = deps.now ?? Date.now;
  const hostZone = deps.hostTimeZone ?? hostTimeZone;
  const maxHoldMs = deps.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  const settings = new Settings(db, logger);
  const deviceExists = (() => {
    const statement = db.prepare('SELECT 1 FROM devices WHERE id = ?').pluck();
    return (deviceId: string) => statement.get(deviceId) !== undefined;
  })();
  const clearCache = db.prepare('DELETE FROM kpi_cache');
  const clearCacheOfStop = db.prepare(
    "DELETE FROM kpi_cache WHERE (subject = ? OR kpi LIKE 'kpi:%') AND period_end > ? AND period_start < ?",
  );
  const saveReason = db.prepare('INSERT OR REPLACE INTO kpi_stop_reasons (machine_id, stop_start, reason, set_by, set_at) VALUES (?, ?, ?, ?, ?)');
  const deleteReason = db.prepare('DELETE FROM kpi_stop_reasons WHERE machine_id = ? AND stop_start = ?');

  const calendarOf = (locale: Locale): ShiftCalendar => settings.read(CALENDAR_SETTINGS_KEY, ShiftCalendarSchema, defaultShiftCalendar(locale));
  const machinesOf = (locale: Locale): MachineSettings =>
    settings.read(MACHINES_SETTINGS_KEY, MachineSettingsSchema, defaultMachineSettings(locale, deviceExists));
  const tariffOf = (): Tariff => settings.read(TARIFF_SETTINGS_KEY, TariffSchema, DEFAULT_TARIFF);
  const settingsOf = (locale: Locale): KpiSettings => {
    const calendar = calendarOf(locale);
    return { calendar, machines: machinesOf(locale), tariff: tariffOf(), timeZone: calendar.timeZone ?? hostZone() };
  };
  // When each point's history begins, kept between calls (it changes only when retention removes history).
  const firstTimes = new Map<number, { value: number | null; at: number }>();
  const engineFor = (locale: Locale, at = now()) => new KpiEngine(db, settingsOf(locale), { now: at, maxHoldMs, live: deps.live, firstTimes });
  const calendarView = (calendar: ShiftCalendar) => ({ calendar, effectiveTimeZone: calendar.timeZone ?? hostZone() });

  /** A stop as the contract shows it, with how much of it fell in planned time. */
  const stopView = (machineId: string, stop: StopWithReason, plan: PlanView): StopView => {
    const planned = plan.forMachine(machineId).planned;
    return {
      machineId,
      start: stop.start,
      end: stop.end,
      durationMs: stop.end - stop.start,
      plannedMs: Math.round(overlap(planned, stop.start, stop.end)),
      state: stop.state,
      micro: stop.micro && !stop.open,
      open: stop.open,
      reason: stop.reason,
      reasonBy: stop.reasonBy,
      reasonAt: stop.reasonAt,
    };
  };

  const checkMachines = (machines: MachineSettings): void => {
    const points = readPoints(db);
    const ids = new Set<string>();
    const checkPoint = (machine: string, pointId: string, kinds: readonly string[], key: 'error.machineStateTagKind' | 'error.machineCounterKind') => {
      const point = points.get(pointId);
      if (!point) throw new AppError('invalid_input', 'error.machinePointMissing', { params: { machine, point: pointId } });
      if (!kinds.includes(point.kind)) throw new AppError('invalid_input', key, { params: { machine, point: pointId, kind: point.kind } });
    };
    for (const machine of machines.machines) {
      if (ids.has(machine.id)) throw new AppError('invalid_input', 'error.machineDuplicate', { params: { machine: machine.id } });
      ids.add(machine.id);
      checkPoint(machine.name, machine.stateTag, ['state'], 'error.machineStateTagKind');
      checkPoint(machine.name, machine.partCounter, ['counter'], 'error.machineCounterKind');
      if (machine.scrapCounter !== undefined && machine.goodCounter !== undefined) {
        throw new AppError('invalid_input', 'error.machineGoodAndScrap', { params: { machine: machine.name } });
      }
      if (machine.scrapCounter !== undefined) checkPoint(machine.name, machine.scrapCounter, ['counter'], 'error.machineCounterKind');
      if (machine.goodCounter !== undefined) checkPoint(machine.name, machine.goodCounter, ['counter'], 'error.machineCounterKind');
      if (machine.meter) checkPoint(machine.name, machine.meter.pointId, machine.meter.kind === 'energy' ? ['counter'] : ['analog', 'counter'], 'error.machineCounterKind');
      const seen = new Set<number>();
      for (const value of [...machine.runningStates, ...machine.idleStates, ...machine.alarmStates]) {
        if (seen.has(value)) throw new AppError('invalid_input', 'error.machineStatesOverlap', { params: { machine: machine.name, value } });
        seen.add(value);
      }
    }
    if (machines.plantMeter) {
      checkPoint('plant', machines.plantMeter.pointId, machines.plantMeter.kind === 'energy' ? ['counter'] : ['analog', 'counter'], 'error.machineCounterKind');
    }
    const codes = new Set<string>();
    for (const reason of machines.stopReasons) {
      if (codes.has(reason.code)) throw new AppError('invalid_input', 'error.stopReasonDuplicate', { params: { reason: reason.code } });
      codes.add(reason.code);
    }
  };

  let closed = false;
  let warming: Promise<void> | undefined;
  const warm = (): Promise<void> => {
    warming ??= (async () => {
      try {
        const engine = engineFor('zh-CN');
        for (const machine of machinesOf('zh-CN').machines) {
          if (closed) return;
          engine.warmMachine(machine.id);
          // Between machines, let polling and calls run.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (!closed) engine.warmPlant();
      } catch (error) {
        // The database may have been replaced (a restore) or be unavailable: figures are computed on the next ask.
        if (!closed) logger.warn('cannot compute KPIs of closed periods ahead', { error: String(error) });
      } finally {
        warming = undefined;
      }
    })();
    return warming;
  };
  const interval = deps.warmIntervalMs ?? 60_000;
  const timers: NodeJS.Timeout[] = [];
  if (interval > 0) {
    timers.push(setTimeout(() => void warm(), Math.min(5000, interval)).unref(), setInterval(() => void warm(), interval).unref());
  }

  return {
    warm,
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
    },

    'kpis.overview': ({ period, at }, { locale }) => engineFor(locale).overview(period, at, locale),

    'kpis.calendar': (_input, { locale }) => calendarView(calendarOf(locale)),

    'kpis.setCalendar': (input) => {
      checkCalendar(input, hostZone());
      const saved = db.transaction(() => {
        const written = settings.write(CALENDAR_SETTINGS_KEY, ShiftCalendarSchema, input);
        clearCache.run();
        return written;
      })();
      logger.info('shift calendar changed', { shifts: saved.shifts.length, timeZone: saved.timeZone });
      return calendarView(saved);
    },

    'kpis.machines': (_input, { locale }) => machinesOf(locale),

    'kpis.setMachines': (input) => {
      checkMachines(input);
      const saved = db.transaction(() => {
        const written = settings.write(MACHINES_SETTINGS_KEY, MachineSettingsSchema, input);
        clearCache.run();
        return written;
      })();
      logger.info('KPI machines changed', { machines: saved.machines.map((machine) => machine.id) });
      return saved;
    },

    'kpis.tariff': () => tariffOf(),

    'kpis.setTariff': (input, { locale }) => {
      checkTariff(input, locale);
      const saved = db.transaction(() => {
        const written = settings.write(TARIFF_SETTINGS_KEY, TariffSchema, input);
        clearCache.run();
        return written;
      })();
      logger.info('electricity tariff changed', { bands: saved.bands.length });
      return saved;
    },

    'kpis.evaluate': ({ definition, period, at }, { locale }) => {
      const computedAt = now();
      const engine = engineFor(locale, computedAt);
      const result = engine.evaluate(definition, period, at, locale);
      return {
        kpiId: definition.id,
        name: definition.name,
        value: result.value,
        unit: definition.unit,
        target: definition.target,
        goodDirection: definition.goodDirection,
        decimals: definition.decimals,
        status: result.status,
        inputs: result.inputs,
        period: {
          kind: result.period.kind,
          from: result.period.from,
          to: result.period.to,
          label: engine.periodLabel(result.period, locale),
          current: result.period.from <= computedAt && computedAt < result.period.to,
        },
        computedAt,
      };
    },

    'stops.list': ({ machineId, from, to, includeMicro, limit }, { locale }) => {
      if (to < from) {
        throw new AppError('invalid_input', 'error.rangeInvalid', { params: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } });
      }
      const engine = engineFor(locale);
      const machine = engine.machine(machineId);
      engine.prepareStops(machine, from);
      const found = includeMicro ? engine.stops.allStops(machineId, from, to) : engine.stops.longStops(machineId, from, to);
      const plan = new PlanView(engine.calendar, engine.clock, from, to);
      const truncated = found.length > limit;
      return {
        stops: found.slice(0, limit).map((stop) => stopView(machineId, stop, plan)),
        truncated,
        reasons: engine.reasons,
      };
    },

    'stops.setReason': ({ machineId, stopStart, reason }, { locale, actor }) => {
      const at = now();
      const engine = engineFor(locale, at);
      const machine = engine.machine(machineId);
      if (reason !== null && !engine.reasons.some((candidate) => candidate.code === reason)) {
        throw new AppError('invalid_input', 'error.stopReasonUnknown', { params: { reason } });
      }
      engine.prepareStops(machine, stopStart);
      const stop = engine.stops.allStops(machineId, stopStart, stopStart + 1).find((candidate) => candidate.start === stopStart);
      const when = engine.describeTime(stopStart);
      if (!stop) throw new AppError('not_found', 'error.stopNotFound', { params: { machine: machine.name, start: when } });
      if (stop.micro && !stop.open) {
        throw new AppError('invalid_input', 'error.stopTooShort', {
          params: { machine: machine.name, start: when, seconds: Math.round((stop.end - stop.start) / 1000), limit: machine.microStopS },
        });
      }
      const by = actor ?? 'unknown';
      db.transaction(() => {
        if (reason === null) deleteReason.run(machineId, stopStart);
        else saveReason.run(machineId, stopStart, reason, by, at);
        // Figures of closed periods that hold the stop change (a planned reason moves its time).
        clearCacheOfStop.run(machineId, stop.start, stop.open ? Number.MAX_SAFE_INTEGER : stop.end);
      })();
      logger.info('stop reason set', { machine: machineId, stopStart, reason, by });
      const plan = new PlanView(engine.calendar, engine.clock, stop.start, stop.end);
      return stopView(machineId, { ...stop, reason, reasonBy: reason === null ? null : by, reasonAt: reason === null ? null : at }, plan);
    },
  };
}
