// A million-row export must finish with memory flat: rows go from SQLite to the file a chunk at a
// time, never gathered. The live heap is measured after forced garbage collections (the collector is
// exposed at run time through V8's flags, since vitest's workers do not start with --expose-gc), both
// at the end and repeatedly while the export runs; Buffers waiting for the disk (outside the heap)
// are watched too. The figures are printed for the record; the assertions allow 50 MB.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../test-support.ts';
import type { ExportService } from './export-service.ts';
import { openTestPlant, type TestPlant } from './export-test-plant.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MB = 1024 * 1024;
const ROWS = 1_000_000;
const T0 = Date.UTC(2026, 0, 1);

let dataDir: string;
let plant: TestPlant;
let service: ExportService;

beforeAll(() => {
  dataDir = makeTempDir('plantdesk-export-memory-');
  plant = openTestPlant(dataDir);
  // A million one-second samples of one point (11.6 days), and the same times for a second point.
  const insert = plant.db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)');
  const temp = plant.points.get('press1.temp')!.num;
  const pressure = plant.points.get('press1.pressure')!.num;
  plant.db.transaction(() => {
    for (let index = 0; index < ROWS; index++) {
      const ts = T0 + index * 1000;
      insert.run(temp, ts, (index % 5000) / 10, index % 10_000 === 0 ? 2 : 0);
      insert.run(pressure, ts, 100 + (index % 300) / 4, 0);
    }
  })();
  service = plant.service();
}, 120_000);

afterAll(async () => {
  await service.close();
  plant.db.close();
  removeDir(dataDir);
});

interface Measured {
  seconds: number;
  heapGrowthMb: number;
  peakLiveHeapGrowthMb: number;
  peakBuffersGrowthMb: number;
  fileMb: number;
  /** Longest the event loop was held up while the export ran (polling would wait this long). */
  longestEventLoopDelayMs: number;
}

/** Runs one export, sampling the live heap (after a full collection) every 250 ms while it runs. */
async function measure(input: Parameters<ExportService['start']>[0]): Promise<Measured & { jobId: string }> {
  gc();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakBuffers = before.arrayBuffers;
  const sampler = setInterval(() => {
    gc();
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
  }, 250);
  const delays = monitorEventLoopDelay({ resolution: 5 });
  delays.enable();
  const started = performance.now();
  const { jobId } = service.start(input, 'en');
  await service.settled(jobId);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  delays.disable();
  gc();
  const after = process.memoryUsage();
  const status = service.status(jobId, 'en');
  expect(status.error).toBeNull();
  expect(status.state).toBe('done');
  expect(status.rowsWritten).toBe(ROWS);
  const measured = {
    jobId,
    seconds: Math.round(seconds * 10) / 10,
    heapGrowthMb: Math.round(((after.heapUsed - before.heapUsed) / MB) * 10) / 10,
    peakLiveHeapGrowthMb: Math.round(((peakHeap - before.heapUsed) / MB) * 10) / 10,
    peakBuffersGrowthMb: Math.round(((peakBuffers - before.arrayBuffers) / MB) * 10) / 10,
    fileMb: Math.round((fs.statSync(service.file(jobId).path).size / MB) * 10) / 10,
    longestEventLoopDelayMs: Math.round(delays.max / 1e6),
  };
  console.log(`export of ${ROWS} rows, ${input.layout} ${input.format}:`, JSON.stringify(measured));
  return measured;
}

describe('a million-row export', () => {
  it('CSV, long layout: completes with the heap growing by less than 50 MB; too large for a JSON answer', async () => {
    const result = await measure({
      pointIds: ['press1.temp'],
      from: T0,
      to: T0 + ROWS * 1000,
      format: 'csv',
      layout: 'long',
      resolution: 'raw',
      timeZone: 'Asia/Shanghai',
    });
    expect(result.heapGrowthMb).toBeLessThan(50);
    expect(result.peakLiveHeapGrowthMb).toBeLessThan(50);
    expect(result.peakBuffersGrowthMb).toBeLessThan(50);
    await expect(service.download(result.jobId)).rejects.toMatchObject({
      code: 'conflict',
      details: { url: `/api/exports/${result.jobId}` },
    });
    // The last line is the millionth sample, in Shanghai time.
    const file = service.file(result.jobId).path;
    const size = fs.statSync(file).size;
    const tail = Buffer.alloc(200);
    const handle = fs.openSync(file, 'r');
    fs.readSync(handle, tail, 0, 200, size - 200);
    fs.closeSync(handle);
    expect(tail.toString('utf8').trimEnd().split('\r\n').at(-1)).toBe('2026-01-12 21:46:39.000,冲压机 1,油温,499.9,°C,good');
  }, 120_000);

  it('Excel, wide layout with two points: completes with the heap growing by less than 50 MB', async () => {
    const result = await measure({
      pointIds: ['press1.temp', 'press1.pressure'],
      from: T0,
      to: T0 + ROWS * 1000,
      format: 'xlsx',
      layout: 'wide',
      resolution: 'raw',
      timeZone: 'Europe/Berlin',
    });
    expect(result.heapGrowthMb).toBeLessThan(50);
    expect(result.peakLiveHeapGrowthMb).toBeLessThan(50);
    expect(result.peakBuffersGrowthMb).toBeLessThan(50);
    // Read back as a stream (loading a million rows at once would itself need gigabytes): the same numbers.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(service.file(result.jobId).path, { worksheets: 'emit', sharedStrings: 'ignore' });
    let rows = 0;
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (row.number === 1) continue;
        const index = row.number - 2;
        const temp = row.getCell(2).value;
        expect(temp).toBe(index % 10_000 === 0 ? null : (index % 5000) / 10);
        expect(row.getCell(3).value).toBe(100 + (index % 300) / 4);
        rows++;
      }
    }
    expect(rows).toBe(ROWS);
  }, 300_000);
});
