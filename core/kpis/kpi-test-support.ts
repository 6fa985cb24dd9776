// Helpers for the KPI engine's tests: a real database with the KPI tables, points and samples written
// the way the historian writes them (a value on change plus a heartbeat every minute), the historian's
// own upkeep to roll them up, and calls made the way the dispatcher makes them (role, input parsed,
// output checked against the contract). Never imported by the core itself.
import { AppError, roleAllows, type Locale, type Role } from '../../shared/index.ts';
import { kpiCalls } from '../../shared/contract/kpi-calls.ts';
import { silentLogger, type Logger } from '../host.ts';
import { HistorianMaintenance } from '../historian/maintenance.ts';
import { MINUTE_MS } from '../historian/rollup.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { createKpiHandlers, type KpiCallName, type KpiHandlerDeps, type KpiHandlersWithUpkeep } from './kpi-handlers.ts';
import { migrateKpiTables } from './schema.ts';

/** An instant given as Shanghai wall-clock time (UTC+8, no daylight saving). */
export const cst = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => Date.UTC(year, month - 1, day, hour - 8, minute, second);

/** Opens the database in `dataDir` and applies the KPI engine's migration step. */
export function openKpiDatabase(dataDir: string): Db {
  const db = openDatabase(dataDir);
  migrateKpiTables(db);
  return db;
}

export interface TestPoint {
  id: string;
  kind: 'analog' | 'counter' | 'state';
  dataType?: string;
}

let nextNum = 1;

/** Adds a device and its points; returns each point's number. */
export function addDevice(db: Db, deviceId: string, points: readonly TestPoint[]): Record<string, number> {
  db.prepare('INSERT OR IGNORE INTO devices (id, config, created_at) VALUES (?, ?, 0)').run(deviceId, JSON.stringify({ id: deviceId }));
  const nums: Record<string, number> = {};
  for (const point of points) {
    const num = nextNum++;
    db.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)').run(
      num,
      point.id,
      deviceId,
      JSON.stringify({ id: point.id, kind: point.kind, dataType: point.dataType ?? (point.kind === 'analog' ? 'float32' : 'uint32'), scale: 1 }),
    );
    nums[point.id] = num;
  }
  return nums;
}

/** A sample as stored: time, value (null: none), quality (0 good, 2 bad). */
export type SampleRow = [ts: number, value: number | null, quality?: number];

export function storeSamples(db: Db, num: number, rows: Iterable<SampleRow>): number {
  const insert = db.prepare('INSERT OR REPLACE INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)');
  let count = 0;
  db.transaction(() => {
    for (const [ts, value, quality] of rows) {
      insert.run(num, ts, value, quality ?? (value === null ? 2 : 0));
      count++;
    }
  })();
  return count;
}

/** A stretch of a state signal: a value held from `from` to `to`, a bad reading at `from` (the device stopped answering), or nothing. */
export type StateStretch = [from: number, to: number, value: number | 'bad' | 'none'];

/** The samples a state point stores over stretches: the value when it changes, then a heartbeat every minute. */
export function* stateSamples(stretches: readonly StateStretch[]): Generator<SampleRow> {
  for (const [from, to, value] of stretches) {
    if (value === 'none') continue;
    if (value === 'bad') {
      yield [from, null, 2];
      continue;
    }
    for (let ts = from; ts < to; ts += MINUTE_MS) yield [ts, value];
  }
}

/** Runs the historian's upkeep as of `now`: rollups to a minute behind, closed hours packed into blocks. */
export function runUpkeep(db: Db, now: number): void {
  new HistorianMaintenance(db, { now: () => now, hotMs: 10 * MINUTE_MS }).runUntilIdle();
}

/** Calls a KPI handler the way the dispatcher does: role, input parsed, output checked against the contract. */
export function kpiCaller(deps: Omit<KpiHandlerDeps, 'logger'> & { logger?: Logger }): {
  handlers: KpiHandlersWithUpkeep;
  call<Name extends KpiCallName>(name: Name, input: unknown, options?: { role?: Role; locale?: Locale; actor?: string }): Promise<ReturnType<(typeof kpiCalls)[Name]['output']['parse']>>;
} {
  const handlers = createKpiHandlers({ logger: silentLogger, warmIntervalMs: 0, ...deps });
  return {
    handlers,
    async call(name, input, options = {}) {
      const spec = kpiCalls[name];
      const role = options.role ?? 'admin';
      if (!roleAllows(role, spec.role)) throw new AppError('forbidden', 'error.forbidden', { params: { call: name, role, required: spec.role } });
      const parsed = spec.input.parse(input);
      const handler = handlers[name] as (input: unknown, context: { role: Role; locale: Locale; actor?: string }) => unknown;
      const value = await handler(parsed, { role, locale: options.locale ?? 'en', actor: options.actor ?? 'test' });
      return spec.output.parse(value) as never;
    },
  };
}
