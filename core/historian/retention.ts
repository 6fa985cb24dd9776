// How long the history is kept, and what it costs on disk. Each point keeps its raw samples, its
// 1-minute and its 1-hour rollups for as long as its class (analog, counter, state) says, or its own
// setting where it has one. Old history is removed a little at a time (retentionStep, called by the
// historian's maintenance between ingest batches, so a transaction never lasts more than a few ms),
// and the Storage panel is told the database size, what each form holds and about how much the
// current settings will free (retentionStatus, bounded in time however large the file is).
import fs from 'node:fs';
import { z } from 'zod';
import type { HistoryResolution, RetentionSettings, RetentionStatus } from '../../shared/contract/historian-calls.ts';
import { POINT_KINDS, RetentionPolicySchema, type PointKind, type RetentionPolicy } from '../../shared/domain/devices.ts';
import { silentLogger, type Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** What a point's stored settings say about its history: its class, and its own retention if any. */
export interface PointRetention {
  kind?: PointKind | undefined;
  retention?: Partial<RetentionPolicy> | undefined;
}

/**
 * A point's policy: its class's, with each field the point sets itself taking its place (null there
 * keeps that form for ever, whatever the class says).
 * @example effectivePolicy({ kind: 'counter', retention: { rawDays: 7 } }, settings) // → { rawDays: 7, minuteDays: <counter's>, hourDays: <counter's> }
 */
export function effectivePolicy(point: PointRetention, settings: RetentionSettings): RetentionPolicy {
  const base = settings[point.kind ?? 'analog'];
  const own = point.retention ?? {};
  return {
    rawDays: own.rawDays !== undefined ? own.rawDays : base.rawDays,
    minuteDays: own.minuteDays !== undefined ? own.minuteDays : base.minuteDays,
    hourDays: own.hourDays !== undefined ? own.hourDays : base.hourDays,
  };
}

// A point's stored JSON, read leniently: a retention that no longer fits falls back to its class.
const StoredPointSchema = z.object({
  kind: z.enum(POINT_KINDS).catch('analog').default('analog'),
  retention: RetentionPolicySchema.partial().optional().catch(undefined),
});

/** A point's class and own retention from its stored configuration (bad or missing parts: the analog class). */
export function pointRetentionOf(config: string | undefined): PointRetention {
  if (config === undefined) return { kind: 'analog' };
  try {
    const parsed = StoredPointSchema.safeParse(JSON.parse(config));
    return parsed.success ? parsed.data : { kind: 'analog' };
  } catch {
    return { kind: 'analog' };
  }
}

/** The retention settings as stored (the defaults when none are, or when they no longer fit). */
export function readRetentionSettings(db: Db, logger: Logger = silentLogger): RetentionSettings {
  return new Settings(db, logger).retention;
}

/** The moment before which each form is removed, or null when it is kept for ever. */
export interface RetentionCutoffs {
  raw: number | null;
  minute: number | null;
  hour: number | null;
}

export function cutoffsOf(policy: RetentionPolicy, now: number): RetentionCutoffs {
  const before = (days: number | null) => (days === null ? null : now - days * DAY_MS);
  return { raw: before(policy.rawDays), minute: before(policy.minuteDays), hour: before(policy.hourDays) };
}

/**
 * One table holding one form of the history, for one point: how its rows are keyed, and which of
 * them are older than a cutoff. A row goes only when everything it stands for is older: a block
 * when its last sample is, a rollup when its whole period is.
 */
interface HistoryTable {
  form: HistoryResolution;
  table: 'samples' | 'sample_blocks' | 'rollups' | 'rollup_states';
  /** The key prefix before `point` (rollups and states are keyed by resolution first). */
  prefix: string;
  key: 'ts' | 'start_ts';
  /** Length of the period a row stands for (0: an instant; blocks are bounded by their end_ts instead). */
  periodMs: number;
  /** Samples a row holds (SQL). */
  samples: string;
  /** About how many bytes a row takes in the file (SQL): payload, key and the b-tree's own share. */
  bytes: string;
  /** Typical time a row covers, for estimates only. */
  spanMs: number;
  cutoff: keyof RetentionCutoffs;
}

// Bytes per row measured with dbstat on generated databases (pages over rows, so page fill and
// cell overhead are in): samples ~26, rollups ~90, states ~34. A block is sized as SQLite stores it
// in its rowid table: up to nearly a page stays in the row; the rest of a larger block goes to
// overflow pages, each taken whole; plus its entry in the (point, start_ts, end_ts) index.
function blockBytesSql(pageSize: number): string {
  const usable = pageSize - 4;
  const maxLocal = pageSize - 35;
  const minLocal = Math.floor(((pageSize - 12) * 32) / 255) - 23;
  // The row's payload: the blob and about 12 bytes of header, times and count.
  const payload = '(length(data) + 12)';
  const spill = `(${minLocal} + (${payload} - ${minLocal}) % ${usable})`;
  const local = `(CASE WHEN ${spill} <= ${maxLocal} THEN ${spill} ELSE ${minLocal} END)`;
  const indexEntry = 30;
  return `(${indexEntry} + CASE WHEN ${payload} <= ${maxLocal} THEN ${payload} + 8 ELSE ${local} + 12 + (${payload} - ${local} + ${usable - 1}) / ${usable} * ${pageSize} END)`;
}

function historyTables(pageSize: number): readonly HistoryTable[] {
  return [
    { form: 'raw', table: 'samples', prefix: '', key: 'ts', periodMs: 0, samples: '1', bytes: '26', spanMs: 1000, cutoff: 'raw' },
    { form: 'raw', table: 'sample_blocks', prefix: '', key: 'start_ts', periodMs: 0, samples: 'count', bytes: blockBytesSql(pageSize), spanMs: HOUR_MS, cutoff: 'raw' },
    { form: '1m', table: 'rollups', prefix: `resolution = ${MINUTE_MS} AND `, key: 'ts', periodMs: MINUTE_MS, samples: '1', bytes: '90', spanMs: MINUTE_MS, cutoff: 'minute' },
    { form: '1m', table: 'rollup_states', prefix: `resolution = ${MINUTE_MS} AND `, key: 'ts', periodMs: MINUTE_MS, samples: '1', bytes: '34', spanMs: MINUTE_MS, cutoff: 'minute' },
    { form: '1h', table: 'rollups', prefix: `resolution = ${HOUR_MS} AND `, key: 'ts', periodMs: HOUR_MS, samples: '1', bytes: '90', spanMs: HOUR_MS, cutoff: 'hour' },
    { form: '1h', table: 'rollup_states', prefix: `resolution = ${HOUR_MS} AND `, key: 'ts', periodMs: HOUR_MS, samples: '1', bytes: '34', spanMs: HOUR_MS, cutoff: 'hour' },
  ];
}

/** The tables in the order a sweep empties them (the byte sizes do not matter there). */
const TABLES = historyTables(4096);

/** Rows older than `cut` satisfy `key < keyCut` (and, for blocks, `end_ts < cut`). */
function keyCutOf(table: HistoryTable, cut: number): number {
  return table.periodMs > 0 ? cut - table.periodMs + 1 : cut;
}

const olderSql = (table: HistoryTable) => `${table.key} < @keyCut${table.table === 'sample_blocks' ? ' AND end_ts < @cut' : ''}`;
const pointSql = (table: HistoryTable) => `${table.prefix}point = @point`;

// ---------------------------------------------------------------------------------------------
// Removing old history, a bounded piece at a time.

export interface RetentionStepResult {
  /** Rows deleted by this step (a block counts as one row). */
  deleted: number;
  /** True when there is (or may be) more to remove: call again soon. False: the last sweep is done. */
  more: boolean;
}

export interface RetentionStepOptions {
  /** Points looked at in one step at most (each costs a handful of index lookups). */
  maxPoints?: number;
}

interface Sweep {
  /** The point number the next step starts at. */
  next: number;
  statements: SweepStatements;
}

type Statement = ReturnType<Db['prepare']>;

interface SweepStatements {
  nextPoint: Statement;
  config: Statement;
  progress: Statement;
  boundary: Statement[];
  remove: Statement[];
  run: (fn: () => RetentionStepResult) => RetentionStepResult;
}

const sweeps = new WeakMap<Db, Sweep>();

function sweepOf(db: Db): Sweep {
  let sweep = sweeps.get(db);
  if (sweep) return sweep;
  // The next point at or after @from with any history: one index seek per table.
  const nextPoint = db
    .prepare(`SELECT min(p) FROM (${TABLES.map((table) => `SELECT min(point) AS p FROM ${table.table} WHERE ${table.prefix}point >= @from`).join(' UNION ALL ')})`)
    .pluck();
  const statements: SweepStatements = {
    nextPoint,
    config: db.prepare('SELECT config FROM points WHERE num = ?').pluck(),
    progress: db.prepare('SELECT minute_done, hour_done FROM rollup_progress WHERE point = ?').raw(),
    boundary: TABLES.map((table) =>
      db.prepare(`SELECT ${table.key} FROM ${table.table} WHERE ${pointSql(table)} AND ${olderSql(table)} ORDER BY ${table.key} LIMIT 1 OFFSET @offset`).pluck(),
    ),
    remove: TABLES.map((table) =>
      db.prepare(`DELETE FROM ${table.table} WHERE ${pointSql(table)} AND ${table.key} < @upper${table.table === 'sample_blocks' ? ' AND end_ts < @cut' : ''}`),
    ),
    // IMMEDIATE: the write lock is taken at the start, so another connection's commit in between
    // cannot turn this read-then-delete into SQLITE_BUSY.
    run: (fn) => db.transaction(fn).immediate(),
  };
  sweep = { next: 0, statements };
  sweeps.set(db, sweep);
  return sweep;
}

/**
 * The cutoffs that apply to one point: its policy's, but never past what its rollups have taken in
 * (rollup_progress, core/historian/maintenance.ts) — raw samples stay until the 1-minute rollups
 * cover them, 1-minute rollups until the 1-hour ones (made from them) do. A point that is
 * configured but has no rollups yet keeps both; the history of a point no longer configured
 * (`progress` null) just ages.
 */
export function clipToRollups(cutoffs: RetentionCutoffs, progress: { minuteDone: number; hourDone: number } | undefined | null): RetentionCutoffs {
  if (progress === null) return cutoffs;
  const minuteDone = progress?.minuteDone ?? Number.NEGATIVE_INFINITY;
  const hourDone = progress?.hourDone ?? Number.NEGATIVE_INFINITY;
  // Clipped to "no rollups yet" there is nothing to remove: the same as keeping for ever.
  const clip = (cut: number | null, done: number) => (cut === null || done === Number.NEGATIVE_INFINITY ? null : Math.min(cut, done));
  return { raw: clip(cutoffs.raw, minuteDone), minute: clip(cutoffs.minute, hourDone), hour: cutoffs.hour };
}

function sweepCutoffs(statements: SweepStatements, point: number, settings: RetentionSettings, now: number): RetentionCutoffs {
  const config = statements.config.get(point) as string | undefined;
  const cutoffs = cutoffsOf(effectivePolicy(pointRetentionOf(config), settings), now);
  if (config === undefined) return cutoffs;
  const progress = statements.progress.get(point) as [number, number] | undefined;
  return clipToRollups(cutoffs, progress && { minuteDone: progress[0], hourDone: progress[1] });
}

/** Deletes up to `budget` rows of one point's history older than its cutoffs; returns how many. */
function sweepPoint(statements: SweepStatements, point: number, cutoffs: RetentionCutoffs, budget: number): number {
  let deleted = 0;
  for (let index = 0; index < TABLES.length && deleted < budget; index++) {
    const table = TABLES[index]!;
    const cut = cutoffs[table.cutoff];
    if (cut === null) continue;
    const keyCut = keyCutOf(table, cut);
    // The key of the budget-th oldest row to go: everything up to it goes in one range delete.
    const boundary = statements.boundary[index]!.get({ point, keyCut, cut, offset: budget - deleted - 1 }) as number | undefined;
    const upper = boundary === undefined ? keyCut : boundary + 1;
    deleted += statements.remove[index]!.run({ point, upper, cut }).changes;
  }
  return deleted;
}

/**
 * Removes at most about `budgetRows` rows of history older than the retention, walking the points
 * in turn from where the previous step on this connection stopped, in one short transaction.
 * Call it between ingest batches; while it answers `more`, call it again soon, otherwise a few
 * minutes later (time moves the cutoffs on).
 * @example const { more } = retentionStep(db, readRetentionSettings(db), Date.now(), 2000)
 */
export function retentionStep(
  db: Db,
  settings: RetentionSettings,
  now: number,
  budgetRows: number,
  options: RetentionStepOptions = {},
): RetentionStepResult {
  const sweep = sweepOf(db);
  const { statements } = sweep;
  const budget = Math.max(1, Math.floor(budgetRows));
  const maxPoints = Math.max(1, options.maxPoints ?? 32);
  return statements.run(() => {
    let deleted = 0;
    for (let visited = 0; visited < maxPoints; visited++) {
      const point = statements.nextPoint.get({ from: sweep.next }) as number | null;
      if (point === null) {
        // Past the last point: the sweep is done; the next one starts from the first point.
        sweep.next = 0;
        return { deleted, more: false };
      }
      deleted += sweepPoint(statements, point, sweepCutoffs(statements, point, settings, now), budget - deleted);
      // Out of budget: this point may have more, so the next step starts with it again.
      if (deleted >= budget) return { deleted, more: true };
      sweep.next = point + 1;
    }
    return { deleted, more: true };
  });
}

/**
 * The step the historian's maintenance calls between ingest batches (MaintenanceOptions.retention).
 * The settings are read afresh each time (one small row), so a change saved in the app applies at
 * the next step without anyone telling the writer thread.
 * @example new HistorianMaintenance(db, { retention: retentionSweeper(db) })
 */
export function retentionSweeper(db: Db, logger: Logger = silentLogger): (now: number, budgetRows: number) => RetentionStepResult {
  const settings = new Settings(db, logger);
  return (now, budgetRows) => retentionStep(db, settings.retention, now, budgetRows);
}

// ---------------------------------------------------------------------------------------------
// What the history holds, and about what the settings will free.

export interface RetentionStatusOptions {
  /** Rows of one point in one table counted exactly; beyond this they are estimated. */
  exactRows?: number;
  /** Time strata per estimated point and table, and rows read in each. */
  strata?: number;
  rowsPerStratum?: number;
  /**
   * Time spent measuring points. Points are measured in a fixed shuffled order; those not reached
   * when it runs out are taken to hold what the measured ones hold on average.
   */
  budgetMs?: number;
  /** The clock for the budget (tests). */
  clock?: () => number;
}

/** Figures for one point in one table: all of it, and the bytes older than the point's cutoff. */
interface Tally {
  /** The oldest key (only for one point; sums leave it alone). */
  oldest?: number | null;
  rows: number;
  samples: number;
  bytes: number;
  olderBytes: number;
}

const emptyTally = (): Tally => ({ rows: 0, samples: 0, bytes: 0, olderBytes: 0 });

function addTally(into: Tally, from: Tally, scale = 1): void {
  into.rows += from.rows * scale;
  into.samples += from.samples * scale;
  into.bytes += from.bytes * scale;
  into.olderBytes += from.olderBytes * scale;
}

interface TableReader {
  table: HistoryTable;
  newest: Statement;
  /** Aggregates over the first @limit rows at or after @from and before @to. */
  window: Statement;
}

function tableReader(db: Db, table: HistoryTable): TableReader {
  const where = pointSql(table);
  return {
    table,
    newest: db.prepare(`SELECT max(${table.key}) FROM ${table.table} WHERE ${where}`).pluck(),
    window: db
      .prepare(
        `SELECT count(*), min(k), max(k), total(s), total(b), total(b) FILTER (WHERE older)
         FROM (SELECT ${table.key} AS k, ${table.samples} AS s, ${table.bytes} AS b, ${olderSql(table)} AS older
               FROM ${table.table} WHERE ${where} AND ${table.key} >= @from AND ${table.key} < @to ORDER BY ${table.key} LIMIT @limit)`,
      )
      .raw(),
  };
}

type WindowRow = [number, number | null, number | null, number, number, number];

// Bounds SQLite can bind (it has no infinity): far before and after any time.
const EARLIEST = -Number.MAX_SAFE_INTEGER;
const LATEST = Number.MAX_SAFE_INTEGER;

/**
 * One point's rows in one table: counted exactly when there are at most `exactRows`, otherwise
 * estimated stratum by stratum — in each, the first rows read give the spacing of its rows and what
 * a row holds, carried over the stratum (a stratum with fewer rows than that is counted exactly).
 * Cost: strata + 2 index seeks, and at most exactRows + strata × rowsPerStratum rows read.
 */
function tallyPoint(reader: TableReader, point: number, cut: number | null, options: Required<RetentionStatusOptions>): Tally {
  const { table } = reader;
  const keyCut = cut === null ? EARLIEST : keyCutOf(table, cut);
  const bound = { point, keyCut, cut: cut ?? EARLIEST };
  const all = reader.window.get({ ...bound, from: EARLIEST, to: LATEST, limit: options.exactRows + 1 }) as WindowRow;
  if (all[0] <= options.exactRows) {
    return { oldest: all[1], rows: all[0], samples: all[3], bytes: all[4], olderBytes: all[5] };
  }
  const first = all[1]!;
  const last = reader.newest.get(bound) as number;
  const tally: Tally = { ...emptyTally(), oldest: first };
  const strata = options.strata;
  const width = (last + 1 - first) / strata;
  // Older blocks are judged by their end: by their start, about a block's span before the cutoff.
  const estimateCut = table.table === 'sample_blocks' ? keyCut - table.spanMs : keyCut;
  for (let stratum = 0; stratum < strata; stratum++) {
    const from = Math.round(first + stratum * width);
    const to = stratum === strata - 1 ? last + 1 : Math.round(first + (stratum + 1) * width);
    if (to <= from) continue;
    const [count, low, high, samples, bytes, olderBytes] = reader.window.get({ ...bound, from, to, limit: options.rowsPerStratum }) as WindowRow;
    if (count < options.rowsPerStratum || low === null || high === null) {
      addTally(tally, { rows: count, samples, bytes, olderBytes });
      continue;
    }
    // `count` rows from `low` to `high`, carried over the stratum from `low`. Rollups come one per
    // period (states a few per period), so the rows read cover their periods up to high's end;
    // samples and blocks come at their own pace, one gap per row after the first.
    const rows =
      table.periodMs > 0
        ? (count * (to - low)) / (high - low + table.periodMs)
        : high > low
          ? ((count - 1) * (to - low)) / (high - low)
          : (count * (to - low)) / table.spanMs;
    const scale = Math.max(1, rows / count);
    const olderShare = Math.min(1, Math.max(0, (estimateCut - low) / (to - low)));
    addTally(tally, {
      rows: count * scale,
      samples: samples * scale,
      bytes: bytes * scale,
      olderBytes: bytes * scale * olderShare,
    });
  }
  return tally;
}

/**
 * 0 … count-1 shuffled, the same way every time: points measured first are a fair sample of all of
 * them (a plant's points often come in repeating patterns that an even stride would follow).
 */
function sampleOrder(count: number): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  let seed = 0x9e3779b9;
  for (let index = count - 1; index > 0; index--) {
    // xorshift32
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const other = (seed >>> 0) % (index + 1);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

function fileBytes(file: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += fs.statSync(`${file}${suffix}`).size;
    } catch {
      // No such file (no write-ahead log right now, or an in-memory stand-in).
    }
  }
  return bytes;
}

/** Pages of everything that is not history (schema, configuration, audit log, rollup progress): small, read exactly. */
function otherBytes(db: Db): number {
  const history = new Set<string>(TABLES.map((table) => table.table));
  const names = db.prepare('SELECT name FROM sqlite_schema WHERE rootpage > 0').pluck().all() as string[];
  const size = db.prepare('SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ? AND aggregate = TRUE').pluck();
  let bytes = size.get('sqlite_schema') as number;
  for (const name of names) if (!history.has(name)) bytes += size.get(name) as number;
  return bytes;
}

interface PointGroup {
  points: { num: number; cutoffs: RetentionCutoffs }[];
  /** The order its points are measured in (a fixed shuffle). */
  order: number[];
  measured: number;
  /** What its measured points hold, per history table. */
  tallies: Tally[];
}

/**
 * The configured points, with the cutoffs a sweep applies to them, in groups that store alike —
 * same class, same own retention, same scan rate — so a few measured points of each group stand
 * well for the rest of it.
 */
function pointGroups(db: Db, settings: RetentionSettings, now: number): PointGroup[] {
  const groups = new Map<string, PointGroup>();
  const progress = new Map(
    (db.prepare('SELECT point, minute_done, hour_done FROM rollup_progress').raw().all() as [number, number, number][]).map(([point, minuteDone, hourDone]) => [
      point,
      { minuteDone, hourDone },
    ]),
  );
  for (const [num, config] of db.prepare('SELECT num, config FROM points ORDER BY num').raw().all() as [number, string][]) {
    const retention = pointRetentionOf(config);
    let scanMs: unknown;
    try {
      scanMs = (JSON.parse(config) as { scanMs?: unknown }).scanMs;
    } catch {
      scanMs = undefined;
    }
    const key = JSON.stringify([retention.kind, retention.retention ?? null, scanMs ?? null]);
    let group = groups.get(key);
    if (!group) {
      group = { points: [], order: [], measured: 0, tallies: TABLES.map(() => emptyTally()) };
      groups.set(key, group);
    }
    group.points.push({ num, cutoffs: clipToRollups(cutoffsOf(effectivePolicy(retention, settings), now), progress.get(num)) });
  }
  for (const group of groups.values()) group.order = sampleOrder(group.points.length);
  // Larger groups first when none is measured yet.
  return [...groups.values()].sort((a, b) => b.points.length - a.points.length);
}

/**
 * The database size, what each form of the history holds (rows — raw samples counted one by one,
 * rollups by the row —, about how many bytes, the oldest time) and about how many bytes the settings
 * will remove. Bounded in time: each point's rows are counted exactly up to a few dozen per table
 * and estimated beyond, and points are measured within a time budget; bytes are the file's pages in
 * use shared out by the rows' estimated sizes, so the forms add up to the pages the history takes.
 * History left by points no longer configured is not counted in the rows (its pages are in the bytes).
 */
export function retentionStatus(
  db: Db,
  file: string,
  settings: RetentionSettings,
  now: number,
  options: RetentionStatusOptions = {},
): RetentionStatus {
  const settled: Required<RetentionStatusOptions> = {
    exactRows: options.exactRows ?? 32,
    strata: options.strata ?? 4,
    rowsPerStratum: options.rowsPerStratum ?? 16,
    budgetMs: options.budgetMs ?? 30,
    clock: options.clock ?? (() => performance.now()),
  };
  const read = () => {
    const started = settled.clock();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const readers = historyTables(pageSize).map((table) => tableReader(db, table));
    const forms = new Map<HistoryResolution, { tally: Tally; oldest: number | null }>(
      (['raw', '1m', '1h'] as const).map((resolution) => [resolution, { tally: emptyTally(), oldest: null }]),
    );
    const groups = pointGroups(db, settings, now);
    const all = readers.map(() => emptyTally());
    let measured = 0;
    // Measures the group least measured so far (each group once first, then in proportion), until
    // the budget runs out; whatever the clock says, one point of each of the larger groups (and at
    // least two points), so there is something to go on.
    const minimum = Math.max(2, Math.min(groups.length, 8));
    for (;;) {
      let group: PointGroup | undefined;
      for (const candidate of groups) {
        if (candidate.measured >= candidate.points.length) continue;
        if (!group || candidate.measured / candidate.points.length < group.measured / group.points.length) group = candidate;
      }
      if (!group || (measured >= minimum && settled.clock() - started > settled.budgetMs)) break;
      const point = group.points[group.order[group.measured]!]!;
      readers.forEach((reader, index) => {
        const tally = tallyPoint(reader, point.num, point.cutoffs[reader.table.cutoff], settled);
        addTally(group.tallies[index]!, tally);
        addTally(all[index]!, tally);
        const form = forms.get(reader.table.form)!;
        if (tally.oldest != null && (form.oldest === null || tally.oldest < form.oldest)) form.oldest = tally.oldest;
      });
      group.measured++;
      measured++;
    }
    // Each group's measured points stand for the whole group; a group not reached, for the average point.
    for (const group of groups) {
      readers.forEach((reader, index) => {
        const tally = group.measured > 0 ? group.tallies[index]! : all[index]!;
        const per = group.measured > 0 ? group.measured : measured;
        if (per > 0) addTally(forms.get(reader.table.form)!.tally, tally, group.points.length / per);
      });
    }
    const used = ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * pageSize;
    return { forms, historyBytes: Math.max(0, used - otherBytes(db)) };
  };
  // One read transaction: one snapshot for all the figures, and no lock taken per statement.
  const { forms, historyBytes } = db.inTransaction ? read() : db.transaction(read).deferred();
  const estimated = [...forms.values()].reduce((sum, form) => sum + form.tally.bytes, 0);
  const share = estimated > 0 ? historyBytes / estimated : 0;
  return {
    settings,
    databaseBytes: fileBytes(file),
    freeableBytes: Math.round([...forms.values()].reduce((sum, form) => sum + form.tally.olderBytes, 0) * share),
    forms: [...forms].map(([resolution, form]) => ({
      resolution,
      rows: Math.round(resolution === 'raw' ? form.tally.samples : form.tally.rows),
      bytes: Math.round(form.tally.bytes * share),
      oldest: form.oldest,
    })),
  };
}
