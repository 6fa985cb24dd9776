// Looks after PlantDesk's database file for the running core: opens it, and when it cannot be used
// (damaged, from a newer PlantDesk, disk full, a folder the user may not write, locked) runs the core
// on an in-memory stand-in so devices keep polling and live values keep flowing; says what is wrong
// in a sentence; takes online backups on demand and daily; restores one without restarting the
// process. A damaged file is never written, overwritten or deleted: restoring moves it aside.
//
// What uses the database (device store, historian writer, pollers) is the core's "runtime"; this
// service stops and restarts it around every change of database through the StorageRuntime hooks.
import fs from 'node:fs';
import path from 'node:path';
import {
  AppError,
  translate,
  type BackupInfo,
  type BackupSchedule,
  type Locale,
  type MessageKey,
  type MessageParams,
  type StorageStatus,
} from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import { backupDue, nextBackupAt, type ScheduleState } from './backup-schedule.ts';
import {
  backupDir,
  backupFileName,
  backupTime,
  checkDatabaseFile,
  COMPANION_SUFFIXES,
  freeBackupName,
  listBackups,
  pruneBackups,
  removeDatabaseFiles,
  removeUnfinishedBackups,
  syncFolder,
} from './backups.ts';
import { databaseFile, openDatabase, openFallbackDatabase, type Db } from './database.ts';
import { SCHEMA_VERSION } from './migrations.ts';
import { Settings } from './settings.ts';
import {
  classifyStorageError,
  describeProblem,
  freeBytesAt,
  problemFromCode,
  type StorageProblem,
} from './storage-problem.ts';
import { readThisPcRecords, writeThisPcRecords } from './this-pc-records.ts';

/** What the core runs on the database; `Carried` is whatever it hands from one database to the next. */
export interface StorageRuntime<Carried = unknown> {
  /** Starts everything that uses `db`; `available` false: `db` is the in-memory stand-in. */
  start(db: Db, available: boolean, carried: Carried | undefined): void;
  /** Stops everything that uses the database; returns what the next runtime should take over. */
  stop(): Promise<Carried | undefined>;
  /** An online backup into `dest`, by whoever writes the database (the historian's writer thread). */
  backup(dest: string): Promise<number>;
  /** Samples held in memory, not in the file yet. */
  heldSamples(): number;
}

export interface StorageOptions {
  /** How often the schedule and a retry of an unusable file are looked at; 0 turns the timer off (tests). */
  checkIntervalMs?: number;
  /** A backup missed while the PC was off is taken this long after the next start. */
  catchUpDelayMs?: number;
  /** How often a file that was full, read-only or locked is tried again. */
  retryOpenMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

export type StatusPayload = { state: 'ok' | 'unavailable'; problemKind: StorageProblem['kind'] | null; lastBackupAt: number | null };

/** Problems that may go away by themselves (space freed, permission given, the other program closed). */
const RETRYABLE: ReadonlySet<StorageProblem['kind']> = new Set(['full', 'readOnly', 'locked', 'other']);

const two = (value: number) => String(value).padStart(2, '0');
function stamp(ts: number): string {
  const date = new Date(ts);
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

type ConfigurationRows = { devices: unknown[][]; points: unknown[][]; settings: unknown[][] };

function readConfigurationRows(db: Db): ConfigurationRows {
  return {
    devices: db.prepare('SELECT id, config, created_at FROM devices').raw().all() as unknown[][],
    points: db.prepare('SELECT num, id, device_id, config FROM points').raw().all() as unknown[][],
    settings: db.prepare('SELECT key, value FROM settings').raw().all() as unknown[][],
  };
}

function writeConfigurationRows(db: Db, rows: ConfigurationRows): void {
  db.transaction(() => {
    const device = db.prepare('INSERT OR REPLACE INTO devices (id, config, created_at) VALUES (?, ?, ?)');
    for (const row of rows.devices) device.run(row);
    const point = db.prepare('INSERT OR REPLACE INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)');
    for (const row of rows.points) point.run(row);
    const setting = db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)');
    for (const row of rows.settings) setting.run(row);
  })();
}

export class StorageService {
  readonly dataDir: string;
  readonly file: string;
  readonly backupDir: string;
  readonly #logger: Logger;
  readonly #emit: (payload: StatusPayload) => void;
  readonly #now: () => number;
  readonly #catchUpDelayMs: number;
  readonly #retryOpenMs: number;
  readonly #checkIntervalMs: number;
  readonly #startedAt: number;
  #db!: Db;
  #settings!: Settings;
  /** The schedule as stored, kept here so status answers while the database is being replaced. */
  #schedule!: BackupSchedule;
  #available = false;
  #problem: StorageProblem | null = null;
  #runtime: StorageRuntime | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #transition: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  #closed = false;
  #lastOpenAttempt = 0;
  #lastFailedAt: number | null = null;
  #lastBackupProblem: { key: MessageKey; params: MessageParams } | null = null;
  #lastEmitted = '';

  constructor(dataDir: string, logger: Logger, emit: (payload: StatusPayload) => void, options: StorageOptions = {}) {
    this.dataDir = dataDir;
    this.file = databaseFile(dataDir);
    this.backupDir = backupDir(dataDir);
    this.#logger = logger;
    this.#emit = emit;
    this.#now = options.now ?? Date.now;
    this.#catchUpDelayMs = options.catchUpDelayMs ?? 10 * 60_000;
    this.#retryOpenMs = options.retryOpenMs ?? 60_000;
    this.#startedAt = this.#now();
    this.#checkIntervalMs = options.checkIntervalMs ?? 60_000;
  }

  /** Opens the file, or the in-memory stand-in with the problem noted. Never throws for a bad file. */
  open(): Db {
    try {
      removeUnfinishedBackups(this.backupDir);
      fs.rmSync(`${this.file}.restoring`, { force: true });
    } catch (error) {
      this.#logger.warn('cannot remove what an interrupted backup or restore left', { error: String(error) });
    }
    this.#openFile();
    this.#lastEmitted = JSON.stringify(this.#payload());
    return this.#db;
  }

  /** Starts the runtime on the database (or the stand-in) and the backup schedule. */
  attach(runtime: StorageRuntime): void {
    this.#runtime = runtime;
    this.#startRuntime(undefined);
    if (this.#checkIntervalMs > 0) {
      this.#timer = setInterval(() => void this.tick(), this.#checkIntervalMs);
      this.#timer.unref();
    }
  }

  get db(): Db {
    return this.#db;
  }

  get state(): 'ok' | 'unavailable' {
    return this.#available ? 'ok' : 'unavailable';
  }

  get problem(): StorageProblem | null {
    return this.#problem;
  }

  /** Resolves once no change of database is under way (calls wait for it rather than meet a closed file). */
  async settled(): Promise<void> {
    while (this.#transition) await this.#transition.catch(() => {});
  }

  get schedule(): BackupSchedule {
    return this.#schedule;
  }

  #scheduleState(backups = listBackups(this.backupDir)): ScheduleState {
    return {
      schedule: this.schedule,
      lastBackupAt: backups[0]?.ts ?? null,
      startedAt: this.#startedAt,
      catchUpDelayMs: this.#catchUpDelayMs,
      lastFailedAt: this.#lastFailedAt,
    };
  }

  #problemSentence(problem: StorageProblem, backups = listBackups(this.backupDir)) {
    return describeProblem(problem, { file: this.file, dir: this.dataDir, freeBytes: freeBytesAt(this.dataDir), newestBackupAt: backups[0]?.ts ?? null });
  }

  status(locale: Locale): StorageStatus {
    const backups = listBackups(this.backupDir);
    const problem = this.#problem ? this.#problemSentence(this.#problem, backups) : null;
    let sizeBytes: number | null = null;
    for (const suffix of ['', '-wal']) {
      try {
        sizeBytes = (sizeBytes ?? 0) + fs.statSync(`${this.file}${suffix}`).size;
      } catch {
        // No such file (yet).
      }
    }
    const next = nextBackupAt(this.#scheduleState(backups), this.#now());
    return {
      state: this.state,
      problem: problem ? translate(locale, problem.key, problem.params) : null,
      problemKind: this.#problem?.kind ?? null,
      file: this.file,
      sizeBytes,
      freeBytes: freeBytesAt(this.dataDir),
      heldSamples: this.#runtime?.heldSamples() ?? 0,
      backupDir: this.backupDir,
      backups,
      lastBackupAt: backups[0]?.ts ?? null,
      schedule: this.schedule,
      nextBackupAt: next === null ? null : Math.max(next, this.#now()),
      lastBackupProblem: this.#lastBackupProblem ? translate(locale, this.#lastBackupProblem.key, this.#lastBackupProblem.params) : null,
    };
  }

  listBackups(): BackupInfo[] {
    return listBackups(this.backupDir);
  }

  /** The refusal of a change that cannot be saved while the file is unavailable. */
  assertWritable(): void {
    if (!this.#available) throw new AppError('storage_error', 'error.storageUnavailable', { params: { file: this.file } });
  }

  /** The problem as an error (history asked for while there is no file to read it from). */
  problemError(): AppError {
    const { key, params } = this.#problemSentence(this.#problem ?? { kind: 'other', reason: 'storage.reason.cantOpen', code: null });
    return new AppError('storage_error', key, { params });
  }

  /**
   * A failure of a call that touched the database, as a sentence naming the file; a damaged file
   * found this way is left alone from now on.
   */
  translateError(error: unknown): unknown {
    if (error instanceof AppError || !(error instanceof Error)) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
    const problem = classifyStorageError(error);
    // A constraint or a misuse is a fault of the request or of PlantDesk, not of the file.
    if (problem.kind === 'other' && !code.startsWith('SQLITE_IOERR')) return error;
    if (problem.kind === 'damaged') this.#damageFound(problem, this.#db);
    const { key, params } = this.#problemSentence(problem);
    return new AppError('storage_error', key, { params, cause: error });
  }

  /** The writer's news about writes on `db`: a problem (kept and retried by it), or null when they succeed again. */
  noteWriteProblem(db: Db, problem: { code: string | null; message: string } | null): void {
    if (db !== this.#db || !this.#available) return;
    if (!problem) {
      if (this.#problem) {
        this.#logger.info('the database accepts writes again', { file: this.file });
        this.#problem = null;
        this.#emitIfChanged();
      }
      return;
    }
    const classified = problemFromCode(problem.code, problem.message);
    if (classified.kind === 'damaged') {
      this.#damageFound(classified, db);
      return;
    }
    this.#logger.error('the database refuses writes; samples are held and retried', { file: this.file, code: problem.code, error: problem.message });
    this.#problem = classified;
    this.#emitIfChanged();
  }

  #damageFound(problem: StorageProblem, db: Db): void {
    void this.#exclusive(async () => {
      if (db !== this.#db || !this.#available) return;
      this.#logger.error('the database file is damaged; PlantDesk stops writing to it', { file: this.file, code: problem.code });
      await this.#replace(() => {}, { keepFile: true, problem });
    }).catch((error) => this.#logger.error('cannot switch away from the damaged database', { error: String(error) }));
  }

  /** Runs storage operations one at a time (a backup, a restore, a switch). */
  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new AppError('unavailable', 'error.coreUnavailable'));
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Takes a backup now (on demand). */
  backup(): Promise<BackupInfo> {
    return this.#exclusive(() => this.#takeBackup(this.#now()));
  }

  async #takeBackup(now: number): Promise<BackupInfo> {
    if (!this.#available || !this.#runtime) throw new AppError('storage_error', 'error.backupUnavailable', { params: { file: this.file } });
    let dest = path.join(this.backupDir, backupFileName(now));
    try {
      fs.mkdirSync(this.backupDir, { recursive: true });
      dest = path.join(this.backupDir, freeBackupName(this.backupDir, now));
      const sizeBytes = await this.#runtime.backup(dest);
      const name = path.basename(dest);
      this.#logger.info('backup taken', { file: dest, sizeBytes });
      this.#emitIfChanged(true);
      return { file: name, sizeBytes, ts: backupTime(name) ?? now };
    } catch (error) {
      if ((error as { damaged?: boolean }).damaged) {
        const problem: StorageProblem = { kind: 'damaged', reason: 'storage.reason.malformed', code: 'SQLITE_CORRUPT' };
        this.#logger.error('the backup check found the database damaged', { file: this.file, detail: (error as Error).message });
        await this.#replace(() => {}, { keepFile: true, problem });
        throw new AppError('storage_error', 'error.backupFoundDamage', { params: { file: this.file, reason: problem.reason }, cause: error });
      }
      this.#logger.error('backup failed', { file: dest, error: String(error) });
      throw new AppError('storage_error', 'error.backupFailed', {
        params: { file: dest, dir: this.backupDir, reason: classifyStorageError(error).reason },
        cause: error,
      });
    }
  }

  configureBackups(schedule: BackupSchedule): BackupSchedule {
    this.assertWritable();
    this.#settings.backupSchedule = schedule;
    this.#schedule = this.#settings.backupSchedule;
    this.#lastFailedAt = null;
    return this.#schedule;
  }

  /**
   * The scheduled work, run by the timer (and by tests with their own clock): the daily backup and
   * its pruning to `keep`, and another try at a file that was full, read-only or locked.
   */
  async tick(now = this.#now()): Promise<void> {
    if (this.#ticking || this.#closed || !this.#runtime) return;
    this.#ticking = true;
    try {
      if (!this.#available && this.#problem && RETRYABLE.has(this.#problem.kind) && now - this.#lastOpenAttempt >= this.#retryOpenMs) {
        await this.#exclusive(() => this.#reopen(now));
      }
      if (this.#available && backupDue(this.#scheduleState(), now)) {
        await this.#exclusive(async () => {
          try {
            await this.#takeBackup(now);
            const deleted = pruneBackups(this.backupDir, this.schedule.keep);
            if (deleted.length > 0) this.#logger.info('old backups deleted', { deleted });
            this.#lastFailedAt = null;
            this.#lastBackupProblem = null;
          } catch (error) {
            this.#lastFailedAt = now;
            const appError = error instanceof AppError ? error : new AppError('storage_error', 'error.backupFailed', {
              params: { file: this.backupDir, dir: this.backupDir, reason: String(error) },
            });
            this.#lastBackupProblem = { key: appError.key, params: appError.params };
            this.#emitIfChanged(true);
          }
        });
      }
    } catch (error) {
      this.#logger.error('scheduled storage work failed', { error: String(error) });
    } finally {
      this.#ticking = false;
    }
  }

  /** Replaces the database with the backup `name` from the backups folder. */
  restore(name: string): Promise<void> {
    return this.#exclusive(async () => {
      const source = path.join(this.backupDir, name);
      if (path.basename(name) !== name || backupTime(name) === undefined || !fs.existsSync(source)) {
        throw new AppError('not_found', 'error.backupNotFound', { params: { file: name, dir: this.backupDir } });
      }
      const check = checkDatabaseFile(source);
      if (!check.ok) {
        throw new AppError('storage_error', 'error.backupUnusable', { params: { file: name, reason: problemFromCode(check.code, check.detail).reason } });
      }
      if (check.version > SCHEMA_VERSION) {
        throw new AppError('storage_error', 'error.backupUnusable', { params: { file: name, reason: 'storage.reason.newerFormat' } });
      }
      this.#logger.info('restoring a backup', { backup: source, file: this.file });
      await this.#replace(
        () => {
          const incoming = `${this.file}.restoring`;
          fs.copyFileSync(source, incoming);
          const fd = fs.openSync(incoming, 'r+');
          try {
            fs.fsyncSync(fd);
          } finally {
            fs.closeSync(fd);
          }
          fs.renameSync(incoming, this.file);
          syncFolder(this.dataDir);
        },
        { failure: { file: name } },
      );
    });
  }

  /**
   * Starts a new, empty database in place of the current file (kept aside), keeping the device
   * settings the core runs with: the way out of a damaged file that has no backup.
   */
  startEmpty(): Promise<void> {
    return this.#exclusive(() => this.#replace(() => {}, { failure: { file: this.file }, keepConfiguration: true }));
  }

  /** Tries the file again; on success the core moves onto it with the samples held meanwhile. */
  async #reopen(now: number): Promise<void> {
    this.#lastOpenAttempt = now;
    let db: Db;
    try {
      db = openDatabase(this.dataDir);
    } catch (error) {
      this.#problem = classifyStorageError(error);
      this.#emitIfChanged();
      return;
    }
    this.#logger.info('the database can be used again', { file: this.file });
    await this.#switch(async () => {
      this.#db.close();
      this.#use(db);
    });
  }

  /**
   * Starts the runtime; a file that fails while the runtime reads it (a damaged page the open did
   * not touch) is left for the stand-in, as if it had failed to open.
   */
  #startRuntime(carried: unknown): void {
    const runtime = this.#runtime!;
    try {
      runtime.start(this.#db, this.#available, carried);
    } catch (error) {
      if (!this.#available) throw error;
      this.#logger.error('the database failed while the core started on it', { file: this.file, error: String(error) });
      this.#db.close();
      this.#useFallback(classifyStorageError(error));
      runtime.start(this.#db, false, carried);
    }
  }

  /** Stops the runtime, runs `change` (which leaves a database in place), restarts the runtime on it. */
  async #switch(change: () => Promise<void> | void): Promise<void> {
    const runtime = this.#runtime!;
    const transition = (async () => {
      const carried = await runtime.stop();
      try {
        await change();
      } finally {
        this.#startRuntime(carried);
        this.#emitIfChanged(true);
      }
    })();
    this.#transition = transition;
    try {
      await transition;
    } finally {
      if (this.#transition === transition) this.#transition = undefined;
    }
  }

  /**
   * Closes the database and moves the file aside, then `install` puts the new one in place (nothing,
   * for an empty database) and it is opened. With `keepFile` the file stays where it is (a damaged one
   * found while running) and the core goes on with the stand-in. If moving or installing fails, the
   * old file is put back and reopened, and the failure is reported with `failure`'s file name.
   */
  async #replace(
    install: () => void,
    options: { keepFile?: boolean; problem?: StorageProblem; failure?: { file: string }; keepConfiguration?: boolean },
  ): Promise<void> {
    const configuration = options.keepConfiguration ? readConfigurationRows(this.#db) : undefined;
    // This PC's activation, licences and usage records are not plant data: they stay as they are now.
    const thisPc = options.keepFile || !this.#available ? undefined : readThisPcRecords(this.#db, this.#logger);
    let failure: unknown;
    await this.#switch(() => {
      this.#db.close();
      if (options.keepFile) {
        this.#useFallback(options.problem ?? { kind: 'other', reason: 'storage.reason.cantOpen', code: null });
        return;
      }
      const moved: [string, string][] = [];
      try {
        this.#moveAside(moved);
        install();
      } catch (error) {
        failure = error;
        this.#logger.error('cannot replace the database file; putting the old one back', { file: this.file, error: String(error) });
        removeDatabaseFiles(`${this.file}.restoring`);
        for (const [from, to] of moved.reverse()) {
          try {
            fs.renameSync(to, from);
          } catch (putBack) {
            this.#logger.error('cannot put the old database file back', { file: from, aside: to, error: String(putBack) });
          }
        }
      }
      this.#openFile();
      if (!failure && configuration && this.#available) writeConfigurationRows(this.#db, configuration);
      if (!failure && thisPc && this.#available) writeThisPcRecords(this.#db, thisPc, this.#logger);
    });
    if (failure !== undefined) {
      throw new AppError('storage_error', 'error.restoreFailed', {
        params: { file: options.failure?.file ?? this.file, dir: this.dataDir, reason: classifyStorageError(failure).reason },
        cause: failure,
      });
    }
  }

  /** Renames the file and its companions to plantdesk.db.<why>-<time>; they are never deleted by PlantDesk. */
  #moveAside(moved: [string, string][]): void {
    const why = this.#problem?.kind === 'damaged' ? 'damaged' : this.#problem?.kind === 'newer' ? 'newer-version' : 'before-restore';
    let target = `${this.file}.${why}-${stamp(this.#now())}`;
    for (let sequence = 2; fs.existsSync(target); sequence++) target = `${this.file}.${why}-${stamp(this.#now())}-${sequence}`;
    for (const suffix of ['', ...COMPANION_SUFFIXES]) {
      const from = `${this.file}${suffix}`;
      if (!fs.existsSync(from)) continue;
      fs.renameSync(from, `${target}${suffix}`);
      moved.push([from, `${target}${suffix}`]);
    }
    if (moved.length > 0) {
      this.#logger.warn('the previous database file was kept aside', { file: target });
      syncFolder(this.dataDir);
    }
  }

  #use(db: Db): void {
    this.#db = db;
    this.#settings = new Settings(db, this.#logger);
    this.#schedule = this.#settings.backupSchedule;
    this.#available = true;
    this.#problem = null;
  }

  #useFallback(problem: StorageProblem): void {
    const sources = [this.file, ...listBackups(this.backupDir).map((backup) => path.join(this.backupDir, backup.file))];
    const fallback = openFallbackDatabase(sources, this.#logger);
    this.#db = fallback.db;
    this.#settings = new Settings(fallback.db, this.#logger);
    this.#schedule = this.#settings.backupSchedule;
    this.#available = false;
    this.#problem = problem;
    this.#logger.error('the database cannot be used; live values go on without storage', {
      file: this.file,
      kind: problem.kind,
      code: problem.code,
      deviceSettingsFrom: fallback.source,
    });
  }

  #openFile(): void {
    this.#lastOpenAttempt = this.#now();
    try {
      this.#use(openDatabase(this.dataDir));
    } catch (error) {
      this.#logger.error('cannot open the database', { file: this.file, error: String((error as Error).cause ?? error) });
      this.#useFallback(classifyStorageError(error));
    }
  }

  #payload(): StatusPayload {
    return { state: this.state, problemKind: this.#problem?.kind ?? null, lastBackupAt: listBackups(this.backupDir)[0]?.ts ?? null };
  }

  #emitIfChanged(force = false): void {
    const payload = this.#payload();
    const key = JSON.stringify(payload);
    if (!force && key === this.#lastEmitted) return;
    this.#lastEmitted = key;
    this.#emit(payload);
  }

  /** Stops the schedule and waits for a backup or restore under way; the caller then stops the runtime and closes `db`. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    const pending = this.#queue;
    this.#closed = true;
    await pending;
    await this.settled();
  }
}
