// One export from the samples table to a file: reads every point's rows a chunk at a time, lays them
// out wide (a row per time, a column per point, merged in time order) or long (a row per sample), and
// writes them as they come. After every few milliseconds of work it yields to the event loop, so
// polling, calls and the writer thread's acknowledgements go on, and it waits for the disk when the
// disk is slower.
import { QUALITIES, translate, type ExportFormat, type ExportLayout, type ExportResolution, type Locale } from '../../../shared/index.ts';
import type { Db } from '../../storage/database.ts';
import { LocalTime } from './local-time.ts';
import { PointSeries, QUALITY_BAD, SeriesQueries, type Bucketing } from './sample-series.ts';
import { createTableWriter, type Cell } from './table-writers.ts';

export interface ExportPoint {
  /** The point's number in the samples table. */
  num: number;
  name: string;
  unit: string;
  deviceName: string;
}

export interface ExportRequest {
  points: readonly ExportPoint[];
  from: number;
  to: number;
  format: ExportFormat;
  layout: ExportLayout;
  resolution: ExportResolution;
  timeZone: string;
  /** Language of the headers. */
  locale: Locale;
}

export interface ExportProgressReport {
  rowsWritten: number;
  totalRowsEstimate: number;
}

export interface ExportRunOptions {
  /** Asked between chunks; true stops the export (the file is completed, then the caller deletes it). */
  cancelled: () => boolean;
  onProgress: (progress: ExportProgressReport) => void;
  /** Data rows per worksheet (xlsx), for tests of the sheet split. */
  rowsPerSheet?: number;
}

/** Rows written between two looks at the clock. */
const ROWS_PER_CHECK = 256;
/** Longest the export holds the event loop before letting polling and calls run (ms). */
const TURN_MS = 5;
/** Rows read by one query: a few milliseconds of the event loop. */
const ROWS_PER_QUERY = 4096;
/** Rows all points keep in memory together in the wide layout, which reads every point at once. */
const WIDE_ROWS_IN_MEMORY = 8192;

export const BUCKET_MS: Record<Exclude<ExportResolution, 'raw'>, number> = { '1m': 60_000, '1h': 3_600_000 };

/** "Temperature (°C)", or "Temperature" for a point without a unit. */
export function columnTitle(point: ExportPoint, withDevice: boolean): string {
  const name = withDevice ? `${point.deviceName} ${point.name}` : point.name;
  return point.unit ? `${name} (${point.unit})` : name;
}

/** Writes the export to `file`; resolves with the rows written, or stops early when cancelled. */
export async function runExport(db: Db, request: ExportRequest, file: string, options: ExportRunOptions): Promise<ExportProgressReport> {
  const { points, from, to, layout, resolution, locale } = request;
  const localTime = new LocalTime(request.timeZone);
  const queries = new SeriesQueries(db);
  const bucketing: Bucketing | undefined =
    resolution === 'raw' ? undefined : { widthMs: BUCKET_MS[resolution], originMs: localTime.startOfLocal(from, BUCKET_MS[resolution]) };
  const chunkRows = layout === 'wide' ? Math.max(128, Math.floor(WIDE_ROWS_IN_MEMORY / points.length)) : ROWS_PER_QUERY;
  const series = points.map((point) => new PointSeries(queries, point.num, { from, to }, chunkRows, bucketing));

  // What the file will hold, to show progress: counted per point, a slice of time at a time.
  const counts: number[] = [];
  for (const one of series) {
    const count = await countInSlices(one, from, to, options.cancelled);
    if (count === undefined) return { rowsWritten: 0, totalRowsEstimate: 0 };
    counts.push(count);
  }
  const samplesTotal = counts.reduce((sum, count) => sum + count, 0);
  const buckets = bucketing ? Math.floor((to - bucketing.originMs) / bucketing.widthMs) + 1 : Number.POSITIVE_INFINITY;
  const firstEstimate =
    layout === 'long'
      ? counts.reduce((sum, count) => sum + Math.min(count, buckets), 0)
      : Math.min(buckets, bucketing ? samplesTotal : Math.max(0, ...counts));

  const timeHeader = translate(locale, 'export.column.time', { timeZone: request.timeZone });
  const duplicateNames = new Set(points.map((point) => point.name).filter((name, index, names) => names.indexOf(name) !== index));
  const header =
    layout === 'wide'
      ? [timeHeader, ...points.map((point) => columnTitle(point, duplicateNames.has(point.name)))]
      : [timeHeader, ...(['device', 'point', 'value', 'unit', 'quality'] as const).map((column) => translate(locale, `export.column.${column}`))];
  const widths = layout === 'wide' ? [24, ...points.map((point) => Math.min(40, Math.max(12, columnTitle(point, true).length + 2)))] : [24, 18, 24, 14, 8, 8];
  const writer = createTableWriter(request.format, {
    file,
    header,
    widths,
    localTime,
    sheetName: translate(locale, 'export.sheetName'),
    rowsPerSheet: options.rowsPerSheet,
  });

  let rowsWritten = 0;
  let turnStarted = performance.now();
  const progress = (): ExportProgressReport => {
    const consumed = series.reduce((sum, one) => sum + one.samplesConsumed, 0);
    const extrapolated = consumed > 0 ? Math.round((rowsWritten * samplesTotal) / consumed) : firstEstimate;
    return { rowsWritten, totalRowsEstimate: Math.max(rowsWritten, extrapolated) };
  };
  /** Every TURN_MS of work: let others run, wait for the disk, report; false when cancelled. */
  const pause = async (): Promise<boolean> => {
    if (performance.now() - turnStarted < TURN_MS) return true;
    await writer.ready();
    turnStarted = performance.now();
    if (options.cancelled()) return false;
    options.onProgress(progress());
    return true;
  };

  try {
    options.onProgress({ rowsWritten: 0, totalRowsEstimate: firstEstimate });
    if (layout === 'long') {
      for (const [index, one] of series.entries()) {
        const point = points[index]!;
        while (one.hasRow()) {
          writer.writeRow(one.ts, [point.deviceName, point.name, one.value, point.unit, QUALITIES[one.quality] ?? 'bad']);
          one.next();
          if (++rowsWritten % ROWS_PER_CHECK === 0 && !(await pause())) return progress();
        }
      }
    } else {
      const merge = new TimeMerge(series);
      const cells: Cell[] = new Array<Cell>(points.length);
      while (merge.hasRow()) {
        cells.fill(null);
        const ts = merge.ts;
        // Every point with a row at this time fills its column; a gap or a bad value stays empty.
        while (merge.hasRow() && merge.ts === ts) {
          const index = merge.current;
          const one = series[index]!;
          cells[index] = one.quality >= QUALITY_BAD ? null : one.value;
          merge.next();
        }
        writer.writeRow(ts, cells);
        if (++rowsWritten % ROWS_PER_CHECK === 0 && !(await pause())) return progress();
      }
    }
  } finally {
    await writer.finish();
  }
  return { rowsWritten, totalRowsEstimate: rowsWritten };
}

/**
 * Counts a series' samples in slices of time, each a few milliseconds of work (a million samples take
 * tens of milliseconds to count at once), yielding in between; undefined when cancelled meanwhile.
 */
async function countInSlices(series: PointSeries, from: number, to: number, cancelled: () => boolean): Promise<number | undefined> {
  let total = 0;
  let start = from;
  let sliceMs = 3_600_000;
  while (start <= to) {
    if (cancelled()) return undefined;
    const end = Math.min(to, start + sliceMs - 1);
    const began = performance.now();
    total += series.countSamples(start, end);
    const took = performance.now() - began;
    start = end + 1;
    // Sparse history (a slow point, a long range) widens the slices quickly; dense history narrows them.
    if (took < 1) sliceMs *= 4;
    else if (took > 4) sliceMs = Math.max(1000, Math.floor(sliceMs / 2));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return total;
}

/**
 * Walks several time-ordered series together, oldest row first (ties by series order): a binary heap
 * of series indices keyed by their current row's time.
 */
class TimeMerge {
  readonly #series: readonly PointSeries[];
  readonly #heap: number[] = [];

  constructor(series: readonly PointSeries[]) {
    this.#series = series;
    series.forEach((one, index) => {
      if (one.hasRow()) this.#push(index);
    });
  }

  hasRow(): boolean {
    return this.#heap.length > 0;
  }

  /** Index of the series whose row is next. */
  get current(): number {
    return this.#heap[0]!;
  }

  get ts(): number {
    return this.#series[this.#heap[0]!]!.ts;
  }

  /** Moves the current series on a row and restores the order. */
  next(): void {
    const index = this.#heap[0]!;
    const one = this.#series[index]!;
    one.next();
    if (one.hasRow()) {
      this.#siftDown(0);
    } else {
      const last = this.#heap.pop()!;
      if (this.#heap.length > 0) {
        this.#heap[0] = last;
        this.#siftDown(0);
      }
    }
  }

  #before(a: number, b: number): boolean {
    const ta = this.#series[a]!.ts;
    const tb = this.#series[b]!.ts;
    return ta < tb || (ta === tb && a < b);
  }

  #push(index: number): void {
    const heap = this.#heap;
    heap.push(index);
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#before(heap[at]!, heap[parent]!)) break;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    let at = start;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < heap.length && this.#before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === at) return;
      [heap[at], heap[smallest]] = [heap[smallest]!, heap[at]!];
      at = smallest;
    }
  }
}
