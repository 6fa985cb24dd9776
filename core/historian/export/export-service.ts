// Export jobs: each runs in the background of the core, writes <dataDir>/exports/<jobId>.<ext>.part and
// renames it only once complete, so a file is never offered half written. Progress goes out as
// 'export.progressed' events, at most every 250 ms per job. A finished export is described by a
// small JSON file beside it, so it can still be downloaded after a restart; exports older than 24 h,
// and the oldest beyond the newest ten, are deleted.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  AppError,
  EXPORT_INLINE_MAX_BYTES,
  translate,
  type CallInput,
  type ExportFormat,
  type ExportState,
  type ExportStatus,
  type Locale,
} from '../../../shared/index.ts';
import type { EventBus } from '../../event-bus.ts';
import type { Logger } from '../../host.ts';
import type { Db } from '../../storage/database.ts';
import { runExport, type ExportPoint, type ExportRequest } from './export-job.ts';
import { hostTimeZone, LocalTime } from './local-time.ts';
import { MIME_TYPES } from './table-writers.ts';

export const EXPORTS_FOLDER = 'exports';

export interface ExportServiceDeps {
  db: Db;
  dataDir: string;
  events: EventBus;
  logger: Logger;
  /** The stored point (with its number in the samples table) of an id, if it exists. */
  pointById: (id: string) => { num: number; name: string; unit: string; deviceId: string } | undefined;
  deviceName: (deviceId: string) => string | undefined;
}

export interface ExportServiceOptions {
  /** Finished exports kept at most (the oldest go first). */
  maxFiles?: number;
  /** Age after which a finished export is deleted, ms. */
  maxAgeMs?: number;
  /** Shortest time between two progress events of one job, ms. */
  progressIntervalMs?: number;
  /** Exports that may run at the same time. */
  maxRunning?: number;
  /** Data rows per worksheet (xlsx), for tests. */
  rowsPerSheet?: number;
}

/** A finished export file, for the HTTP download route. */
export interface ExportFile {
  path: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
}

interface Job {
  id: string;
  format: ExportFormat;
  fileName: string;
  state: ExportState;
  rowsWritten: number;
  totalRowsEstimate: number;
  sizeBytes: number | null;
  error: AppError | null;
  finishedAt: number | null;
  cancelRequested: boolean;
  /** Settles when the job has stopped and its files are in their final state. */
  settled: Promise<void>;
  lastEventAt: number;
  eventTimer: NodeJS.Timeout | undefined;
}

/** What the JSON file beside a finished export holds. */
interface FinishedRecord {
  jobId: string;
  format: ExportFormat;
  fileName: string;
  rowsWritten: number;
  sizeBytes: number;
  finishedAt: number;
}

type StartInput = Required<Omit<CallInput<'historian.startExport'>, 'timeZone'>> & { timeZone?: string };

const HOUR_MS = 3_600_000;

/** Characters Windows does not allow in file names. */
const safeFileName = (name: string) => name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim();

export class ExportService {
  readonly #deps: ExportServiceDeps;
  readonly #dir: string;
  readonly #maxFiles: number;
  readonly #maxAgeMs: number;
  readonly #progressIntervalMs: number;
  readonly #maxRunning: number;
  readonly #rowsPerSheet: number | undefined;
  readonly #jobs = new Map<string, Job>();
  readonly #sweepTimer: NodeJS.Timeout;
  #closed = false;

  constructor(deps: ExportServiceDeps, options: ExportServiceOptions = {}) {
    this.#deps = deps;
    this.#dir = path.join(deps.dataDir, EXPORTS_FOLDER);
    this.#maxFiles = options.maxFiles ?? 10;
    this.#maxAgeMs = options.maxAgeMs ?? 24 * HOUR_MS;
    this.#progressIntervalMs = options.progressIntervalMs ?? 250;
    this.#maxRunning = options.maxRunning ?? 2;
    this.#rowsPerSheet = options.rowsPerSheet;
    fs.mkdirSync(this.#dir, { recursive: true });
    this.#loadFinished();
    this.sweep();
    this.#sweepTimer = setInterval(() => this.sweep(), HOUR_MS);
    this.#sweepTimer.unref();
  }

  /** The folder export files are written to. */
  get folder(): string {
    return this.#dir;
  }

  /** Checks the request and starts the job; the file is written in the background. */
  start(input: StartInput, locale: Locale): { jobId: string } {
    if (this.#closed) throw new AppError('unavailable', 'error.coreUnavailable');
    const { from, to } = input;
    if (to < from) {
      throw new AppError('invalid_input', 'error.rangeInvalid', { params: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } });
    }
    const timeZone = input.timeZone ?? hostTimeZone();
    const localTime = new LocalTime(timeZone);
    const points: ExportPoint[] = [...new Set(input.pointIds)].map((pointId) => {
      const point = this.#deps.pointById(pointId);
      if (!point) throw new AppError('not_found', 'error.pointNotFound', { params: { point: pointId } });
      return { num: point.num, name: point.name, unit: point.unit, deviceName: this.#deps.deviceName(point.deviceId) ?? point.deviceId };
    });
    const running = [...this.#jobs.values()].filter((job) => job.state === 'running').length;
    if (running >= this.#maxRunning) throw new AppError('conflict', 'error.exportBusy', { params: { count: running } });

    const devices = new Set(points.map((point) => point.deviceName));
    const label = devices.size === 1 ? [...devices][0]! : translate(locale, 'export.sheetName');
    const stamp = (ts: number) => localTime.format(ts).slice(0, 16).replace(':', '');
    const fileName = `${safeFileName(label) || 'PlantDesk'} ${stamp(from)} - ${stamp(to)}.${input.format}`;

    const jobId = randomUUID();
    const job: Job = {
      id: jobId,
      format: input.format,
      fileName,
      state: 'running',
      rowsWritten: 0,
      totalRowsEstimate: 0,
      sizeBytes: null,
      error: null,
      finishedAt: null,
      cancelRequested: false,
      settled: Promise.resolve(),
      lastEventAt: 0,
      eventTimer: undefined,
    };
    this.#jobs.set(jobId, job);
    const request: ExportRequest = { points, from, to, format: input.format, layout: input.layout, resolution: input.resolution, timeZone, locale };
    job.settled = this.#run(job, request);
    return { jobId };
  }

  async #run(job: Job, request: ExportRequest): Promise<void> {
    const file = this.#dataFile(job.id, job.format);
    const part = `${file}.part`;
    try {
      const result = await runExport(this.#deps.db, request, part, {
        cancelled: () => job.cancelRequested,
        rowsPerSheet: this.#rowsPerSheet,
        onProgress: ({ rowsWritten, totalRowsEstimate }) => {
          job.rowsWritten = rowsWritten;
          job.totalRowsEstimate = totalRowsEstimate;
          this.#report(job);
        },
      });
      job.rowsWritten = result.rowsWritten;
      job.totalRowsEstimate = result.totalRowsEstimate;
      if (job.cancelRequested) {
        removeFile(part);
        job.state = 'cancelled';
      } else {
        const sizeBytes = fs.statSync(part).size;
        const record: FinishedRecord = {
          jobId: job.id,
          format: job.format,
          fileName: job.fileName,
          rowsWritten: job.rowsWritten,
          sizeBytes,
          finishedAt: Date.now(),
        };
        fs.writeFileSync(this.#recordFile(job.id), JSON.stringify(record));
        fs.renameSync(part, file);
        job.sizeBytes = sizeBytes;
        job.finishedAt = record.finishedAt;
        job.state = 'done';
      }
    } catch (error) {
      removeFile(part);
      removeFile(this.#recordFile(job.id));
      job.state = job.cancelRequested ? 'cancelled' : 'failed';
      if (job.state === 'failed') {
        const reason = error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error);
        job.error =
          error instanceof AppError
            ? error
            : new AppError('storage_error', 'error.exportFailed', { params: { file: job.fileName, reason, dir: this.#dir }, cause: error });
        this.#deps.logger.error('export failed', { jobId: job.id, file: job.fileName, error: reason });
      }
    }
    job.finishedAt ??= Date.now();
    this.#report(job);
    this.sweep();
  }

  /** Sends the job's progress now, or once the interval since the last event has passed. */
  #report(job: Job): void {
    if (job.eventTimer || this.#closed) return;
    const wait = job.lastEventAt + this.#progressIntervalMs - Date.now();
    const send = () => {
      job.eventTimer = undefined;
      job.lastEventAt = Date.now();
      this.#deps.events.emit('export.progressed', {
        jobId: job.id,
        rowsWritten: job.rowsWritten,
        totalRowsEstimate: job.totalRowsEstimate,
        state: job.state,
      });
    };
    if (wait <= 0) send();
    else job.eventTimer = setTimeout(send, wait);
  }

  status(jobId: string, locale: Locale): ExportStatus {
    const job = this.#job(jobId);
    return {
      jobId,
      state: job.state,
      rowsWritten: job.rowsWritten,
      totalRowsEstimate: job.totalRowsEstimate,
      fileName: job.fileName,
      sizeBytes: job.sizeBytes,
      error: job.error ? job.error.toBody(locale).message : null,
    };
  }

  /** Asks a running export to stop; false when it had already finished. */
  cancel(jobId: string): boolean {
    const job = this.#job(jobId);
    if (job.state !== 'running') return false;
    job.cancelRequested = true;
    return true;
  }

  /** Resolves once the job has stopped (done, failed or cancelled). */
  async settled(jobId: string): Promise<void> {
    await this.#job(jobId).settled;
  }

  /** The finished file of an export; refuses one that is not done. */
  file(jobId: string): ExportFile {
    const job = this.#job(jobId);
    if (job.state === 'running') {
      throw new AppError('conflict', 'error.exportNotReady', { params: { file: job.fileName, done: job.rowsWritten, total: job.totalRowsEstimate } });
    }
    if (job.state !== 'done') throw new AppError('conflict', 'error.exportNoFile', { params: { file: job.fileName, state: `export.state.${job.state}` } });
    const file = this.#dataFile(job.id, job.format);
    if (!fs.existsSync(file)) {
      this.#forget(job.id);
      throw new AppError('not_found', 'error.exportNotFound', { params: { jobId } });
    }
    return { path: file, fileName: job.fileName, mimeType: MIME_TYPES[job.format], sizeBytes: job.sizeBytes ?? fs.statSync(file).size };
  }

  /** The file as base64, for files small enough to travel inside a JSON answer. */
  async download(jobId: string): Promise<{ fileName: string; mimeType: string; contentBase64: string }> {
    const file = this.file(jobId);
    if (file.sizeBytes > EXPORT_INLINE_MAX_BYTES) {
      throw new AppError('conflict', 'error.exportTooLarge', {
        params: {
          file: file.fileName,
          size: Math.ceil(file.sizeBytes / 1024 / 1024),
          max: EXPORT_INLINE_MAX_BYTES / 1024 / 1024,
          url: `/api/exports/${jobId}`,
        },
        details: { url: `/api/exports/${jobId}`, sizeBytes: file.sizeBytes },
      });
    }
    const bytes = await fs.promises.readFile(file.path);
    return { fileName: file.fileName, mimeType: file.mimeType, contentBase64: bytes.toString('base64') };
  }

  /** Deletes finished exports older than the age limit, and the oldest beyond the count limit. */
  sweep(): void {
    const now = Date.now();
    const finished = [...this.#jobs.values()].filter((job) => job.state !== 'running').sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    let kept = 0;
    for (const job of finished) {
      const tooOld = now - (job.finishedAt ?? now) > this.#maxAgeMs;
      if (job.state === 'done') {
        if (!tooOld && kept < this.#maxFiles) {
          kept++;
          continue;
        }
        if (!removeFile(this.#dataFile(job.id, job.format))) continue; // in use (Windows): next sweep
        removeFile(this.#recordFile(job.id));
        this.#forget(job.id);
      } else if (tooOld) {
        this.#forget(job.id);
      }
    }
  }

  /** Stops every running export (their files are deleted) and waits for them. */
  async close(): Promise<void> {
    clearInterval(this.#sweepTimer);
    for (const job of this.#jobs.values()) if (job.state === 'running') job.cancelRequested = true;
    await Promise.all([...this.#jobs.values()].map((job) => job.settled));
    this.#closed = true;
    for (const job of this.#jobs.values()) clearTimeout(job.eventTimer);
  }

  #job(jobId: string): Job {
    const job = this.#jobs.get(jobId);
    if (!job) throw new AppError('not_found', 'error.exportNotFound', { params: { jobId } });
    return job;
  }

  #forget(jobId: string): void {
    const job = this.#jobs.get(jobId);
    if (job) clearTimeout(job.eventTimer);
    this.#jobs.delete(jobId);
  }

  #dataFile(jobId: string, format: ExportFormat): string {
    return path.join(this.#dir, `${jobId}.${format}`);
  }

  #recordFile(jobId: string): string {
    return path.join(this.#dir, `${jobId}.json`);
  }

  /** Takes up the exports finished before a restart; removes what an interrupted run left behind. */
  #loadFinished(): void {
    const names = fs.readdirSync(this.#dir);
    const present = new Set(names);
    for (const name of names) {
      const file = path.join(this.#dir, name);
      if (name.endsWith('.part')) {
        removeFile(file);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      try {
        const record = JSON.parse(fs.readFileSync(file, 'utf8')) as FinishedRecord;
        if (!present.has(`${record.jobId}.${record.format}`) || `${record.jobId}.json` !== name) throw new Error('no data file');
        this.#jobs.set(record.jobId, {
          id: record.jobId,
          format: record.format,
          fileName: record.fileName,
          state: 'done',
          rowsWritten: record.rowsWritten,
          totalRowsEstimate: record.rowsWritten,
          sizeBytes: record.sizeBytes,
          error: null,
          finishedAt: record.finishedAt,
          cancelRequested: false,
          settled: Promise.resolve(),
          lastEventAt: 0,
          eventTimer: undefined,
        });
      } catch {
        removeFile(file);
      }
    }
    // Data files nobody describes any more (their record was lost) are of no use to anyone.
    for (const name of names) {
      const match = /^(.+)\.(csv|xlsx)$/.exec(name);
      if (match && !this.#jobs.has(match[1]!)) removeFile(path.join(this.#dir, name));
    }
  }
}

/** Deletes a file if it is there; false when it could not be deleted (open elsewhere on Windows). */
function removeFile(file: string): boolean {
  try {
    fs.rmSync(file, { force: true });
    return true;
  } catch {
    return false;
  }
}
