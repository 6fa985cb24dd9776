// Exports against a real SQLite file: what a plant manager opens in Excel must have the right columns,
// units, local times, gaps and averages, and a cancelled or failed export must never leave a file that
// looks finished.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, type CallInput, type EventMessage, type ExportProgress, type Locale } from '../../../shared/index.ts';
import { makeTempDir, removeDir, waitFor } from '../../test-support.ts';
import type { ExportService, ExportServiceOptions } from './export-service.ts';
import { openTestPlant, type TestPlant } from './export-test-plant.ts';

type StartInput = Parameters<ExportService['start']>[0];

// Monday 4 May 2026, 08:00 in Shanghai.
const T0 = Date.UTC(2026, 4, 4, 0, 0, 0);

let dataDir: string;
let plant: TestPlant;
let service: ExportService;

beforeEach(() => {
  dataDir = makeTempDir('plantdesk-export-');
  plant = openTestPlant(dataDir);
  service = plant.service();
});

afterEach(async () => {
  await service.close();
  plant.db.close();
  removeDir(dataDir);
});

const request = (input: Partial<CallInput<'historian.startExport'>>): StartInput => ({
  pointIds: ['press1.temp'],
  from: T0,
  to: T0 + 3_600_000,
  format: 'csv',
  layout: 'wide',
  resolution: 'raw',
  timeZone: 'Asia/Shanghai',
  ...input,
});

/** Runs an export to its end; returns its status and the path of its file. */
async function exportNow(input: Partial<CallInput<'historian.startExport'>>, on = service, locale: Locale = 'en') {
  const { jobId } = on.start(request(input), locale);
  await on.settled(jobId);
  const status = on.status(jobId, locale);
  expect(status.error).toBeNull();
  expect(status.state).toBe('done');
  return { jobId, status, file: on.file(jobId).path };
}

function readCsv(file: string): string[][] {
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes.subarray(3).toString('utf8'), { relax_column_count: true }) as string[][];
}

async function readXlsx(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

const exportFiles = () => fs.readdirSync(path.join(dataDir, 'exports'));

describe('wide layout', () => {
  it('one row per time, a column per point headed "Name (unit)", in local time; gaps and bad values are empty cells', async () => {
    plant.addSamples('press1.temp', [
      [T0, 61.5],
      [T0 + 1000, null], // the device did not answer: bad, no value
      [T0 + 2000, 63.25],
      [T0 + 4000, 999, 2], // bad quality with a value left in it: not a measurement
    ]);
    plant.addSamples('press1.pressure', [
      [T0, 120],
      [T0 + 3000, 118, 1], // stale: still a value
    ]);
    plant.addSamples('press1.count', [[T0 + 2000, 17]]);
    plant.addSamples('press1.temp', [[T0 + 7_200_000, 70]]); // outside the range

    const { status, file } = await exportNow({ pointIds: ['press1.temp', 'press1.pressure', 'press1.count'] });
    expect(readCsv(file)).toEqual([
      ['Time (Asia/Shanghai)', '油温 (°C)', 'Pressure (bar)', 'Count'],
      ['2026-05-04 08:00:00.000', '61.5', '120', ''],
      ['2026-05-04 08:00:01.000', '', '', ''],
      ['2026-05-04 08:00:02.000', '63.25', '', '17'],
      ['2026-05-04 08:00:03.000', '', '118', ''],
      ['2026-05-04 08:00:04.000', '', '', ''],
    ]);
    expect(status).toMatchObject({ rowsWritten: 5, totalRowsEstimate: 5, fileName: '冲压机 1 2026-05-04 0800 - 2026-05-04 0900.csv' });
    expect(status.sizeBytes).toBe(fs.statSync(file).size);
    expect(fs.readFileSync(file, 'utf8')).toContain('\r\n');
  });

  it('names the device in a column when two points share a name, and headers follow the caller’s language', async () => {
    const { points, db } = plant;
    db.prepare('UPDATE points SET config = json_set(config, ?, ?) WHERE id = ?').run('$.name', 'Pressure', 'meter1.power');
    points.set('meter1.power', { ...points.get('meter1.power')!, name: 'Pressure' });
    plant.addSamples('press1.pressure', [[T0, 1]]);
    plant.addSamples('meter1.power', [[T0, 2]]);
    const { file } = await exportNow({ pointIds: ['press1.pressure', 'meter1.power'] }, service, 'zh-CN');
    expect(readCsv(file)[0]).toEqual(['时间（Asia/Shanghai）', '冲压机 1 Pressure (bar)', 'Meter 1 Pressure (kW)']);
  });
});

describe('long layout', () => {
  it('one row per sample: time, device, point, value, unit, quality; a gap is an empty value of quality bad', async () => {
    plant.addSamples('press1.temp', [
      [T0, 61.5],
      [T0 + 1000, null],
      [T0 + 2000, 62, 1],
    ]);
    plant.addSamples('meter1.power', [[T0 + 500, 12.75]]);
    const { status, file } = await exportNow({ pointIds: ['press1.temp', 'meter1.power'], layout: 'long' });
    expect(readCsv(file)).toEqual([
      ['Time (Asia/Shanghai)', 'Device', 'Point', 'Value', 'Unit', 'Quality'],
      ['2026-05-04 08:00:00.000', '冲压机 1', '油温', '61.5', '°C', 'good'],
      ['2026-05-04 08:00:01.000', '冲压机 1', '油温', '', '°C', 'bad'],
      ['2026-05-04 08:00:02.000', '冲压机 1', '油温', '62', '°C', 'stale'],
      ['2026-05-04 08:00:00.500', 'Meter 1', 'Power', '12.75', 'kW', 'good'],
    ]);
    expect(status.rowsWritten).toBe(4);
  });

  it('headers in Chinese for a Chinese caller', async () => {
    plant.addSamples('press1.temp', [[T0, 1]]);
    const { file } = await exportNow({ layout: 'long' }, service, 'zh-CN');
    expect(readCsv(file)[0]).toEqual(['时间（Asia/Shanghai）', '设备', '数据点', '数值', '单位', '质量']);
  });
});

describe('local time', () => {
  it('writes the wall clock of the chosen zone: Berlin across the spring change, Shanghai for the same instants', async () => {
    const change = Date.UTC(2026, 2, 29, 1, 0, 0); // 02:00 CET becomes 03:00 CEST
    plant.addSamples('press1.temp', [
      [change - 1, 1],
      [change, 2],
      [change + 1_800_000, 3],
    ]);
    const range = { from: change - 3_600_000, to: change + 3_600_000, layout: 'long' as const };
    const berlin = readCsv((await exportNow({ ...range, timeZone: 'Europe/Berlin' })).file);
    expect(berlin.slice(1).map((row) => row[0])).toEqual(['2026-03-29 01:59:59.999', '2026-03-29 03:00:00.000', '2026-03-29 03:30:00.000']);
    expect(berlin[0]![0]).toBe('Time (Europe/Berlin)');
    const shanghai = readCsv((await exportNow({ ...range, timeZone: 'Asia/Shanghai' })).file);
    expect(shanghai.slice(1).map((row) => row[0])).toEqual(['2026-03-29 08:59:59.999', '2026-03-29 09:00:00.000', '2026-03-29 09:30:00.000']);
  });

  it("uses the plant PC's own zone when none is given", async () => {
    plant.addSamples('press1.temp', [[T0, 1]]);
    const { jobId } = service.start({ ...request({}), timeZone: undefined }, 'en');
    await service.settled(jobId);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(readCsv(service.file(jobId).path)[0]![0]).toBe(`Time (${zone})`);
  });
});

describe('averages per minute and per hour', () => {
  it('1m: the average of each minute, computed from good and stale samples; a minute of only bad samples is empty', async () => {
    plant.addSamples('press1.temp', [
      // 08:00: 10, 20, 30 → 20
      [T0, 10],
      [T0 + 20_000, 20],
      [T0 + 40_000, 30],
      // 08:01: 40 good, a gap, 999 bad, 61 stale → (40 + 61) / 2 = 50.5, stale
      [T0 + 60_000, 40],
      [T0 + 70_000, null],
      [T0 + 80_000, 999, 2],
      [T0 + 90_000, 61, 1],
      // 08:02: nothing usable
      [T0 + 120_000, null],
      // 08:03: nothing stored; 08:04: 7.5 and 8 → 7.75
      [T0 + 240_000, 7.5],
      [T0 + 299_999, 8],
    ]);
    plant.addSamples('press1.pressure', [
      [T0 + 59_999, 100],
      [T0 + 1000, 110], // 08:00 → 105
      [T0 + 180_000, 90], // 08:03 → 90
    ]);
    const { file } = await exportNow({ pointIds: ['press1.temp', 'press1.pressure'], resolution: '1m' });
    expect(readCsv(file)).toEqual([
      ['Time (Asia/Shanghai)', '油温 (°C)', 'Pressure (bar)'],
      ['2026-05-04 08:00:00.000', '20', '105'],
      ['2026-05-04 08:01:00.000', '50.5', ''],
      ['2026-05-04 08:02:00.000', '', ''],
      ['2026-05-04 08:03:00.000', '', '90'],
      ['2026-05-04 08:04:00.000', '7.75', ''],
    ]);
    const long = readCsv((await exportNow({ pointIds: ['press1.temp'], resolution: '1m', layout: 'long' })).file);
    expect(long.slice(1).map((row) => [row[0], row[3], row[5]])).toEqual([
      ['2026-05-04 08:00:00.000', '20', 'good'],
      ['2026-05-04 08:01:00.000', '50.5', 'stale'],
      ['2026-05-04 08:02:00.000', '', 'bad'],
      ['2026-05-04 08:04:00.000', '7.75', 'good'],
    ]);
  });

  it('1m buckets start on the minute even when the range does not, and the range ends are kept', async () => {
    plant.addSamples('press1.temp', [
      [T0 + 10_000, 1], // before the range
      [T0 + 30_000, 3],
      [T0 + 50_000, 5],
      [T0 + 70_000, 7],
      [T0 + 80_000, 9], // after the range
    ]);
    const { file } = await exportNow({ from: T0 + 30_000, to: T0 + 70_000, resolution: '1m' });
    expect(readCsv(file).slice(1)).toEqual([
      ['2026-05-04 08:00:00.000', '4'],
      ['2026-05-04 08:01:00.000', '7'],
    ]);
  });

  it('1h: hours of the local clock, in a half-hour zone too, over sparse data spread across months', async () => {
    const hour = 3_600_000;
    plant.addSamples('press1.temp', [
      [T0 + 10 * 60_000, 2],
      [T0 + 50 * 60_000, 4], // 08:00–09:00 Shanghai → 3
      [T0 + 90 * 24 * hour, 11], // three months later → 11
    ]);
    const shanghai = readCsv((await exportNow({ resolution: '1h', to: T0 + 100 * 24 * hour })).file);
    expect(shanghai.slice(1)).toEqual([
      ['2026-05-04 08:00:00.000', '3'],
      ['2026-08-02 08:00:00.000', '11'],
    ]);
    // In Kolkata (UTC+05:30) the same samples fall in 05:00–06:00 (2) and 06:00–07:00 (4).
    const kolkata = readCsv((await exportNow({ resolution: '1h', timeZone: 'Asia/Kolkata', to: T0 + hour })).file);
    expect(kolkata.slice(1)).toEqual([
      ['2026-05-04 05:00:00.000', '2'],
      ['2026-05-04 06:00:00.000', '4'],
    ]);
  });
});

describe('Excel files', () => {
  it('re-read with exceljs: header, frozen first row, date-time cells in local time, number cells, empty gaps', async () => {
    const rows: [number, number | null][] = Array.from({ length: 5000 }, (_, index) => [T0 + index * 1000, index % 97 === 0 ? null : index * 0.25 - 3]);
    plant.addSamples('press1.temp', rows);
    plant.addSamples('press1.pressure', [[T0 + 2000, 120.125]]);
    const { file, status } = await exportNow({ pointIds: ['press1.temp', 'press1.pressure'], format: 'xlsx', to: T0 + 86_400_000 });
    expect(status.fileName.endsWith('.xlsx')).toBe(true);
    const sheet = (await readXlsx(file)).worksheets[0]!;
    expect(sheet.name).toBe('Plant history');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, 'Time (Asia/Shanghai)', '油温 (°C)', 'Pressure (bar)']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(5001);
    const time = sheet.getCell('A4');
    expect(time.value).toBeInstanceOf(Date);
    expect((time.value as Date).toISOString()).toBe('2026-05-04T08:00:02.000Z');
    expect(time.numFmt).toBe('yyyy-mm-dd hh:mm:ss.000');
    expect(sheet.getCell('C4').value).toBe(120.125);
    expect(sheet.getCell('C5').value).toBeNull();
    for (const [index, [, value]] of rows.entries()) {
      expect(sheet.getRow(index + 2).getCell(2).value).toBe(value);
    }
  });

  it('the long layout in Excel keeps text, numbers and quality apart', async () => {
    plant.addSamples('meter1.power', [
      [T0, 12.5],
      [T0 + 1000, null],
    ]);
    const { file } = await exportNow({ pointIds: ['meter1.power'], format: 'xlsx', layout: 'long' }, service, 'zh-CN');
    const sheet = (await readXlsx(file)).worksheets[0]!;
    expect(sheet.name).toBe('历史数据');
    expect(sheet.getRow(1).values).toEqual([undefined, '时间（Asia/Shanghai）', '设备', '数据点', '数值', '单位', '质量']);
    expect(sheet.getRow(2).values).toEqual([undefined, new Date('2026-05-04T08:00:00.000Z'), 'Meter 1', 'Power', 12.5, 'kW', 'good']);
    expect(sheet.getRow(3).getCell(4).value).toBeNull();
    expect(sheet.getRow(3).getCell(6).value).toBe('bad');
  });

  it('continues on a new worksheet, with its own header, when a sheet is full', async () => {
    const small = plant.service({ rowsPerSheet: 4 });
    try {
      plant.addSamples('press1.temp', Array.from({ length: 10 }, (_, index) => [T0 + index * 1000, index] as const));
      const { file } = await exportNow({ format: 'xlsx' }, small);
      const sheets = (await readXlsx(file)).worksheets;
      expect(sheets.map((sheet) => sheet.name)).toEqual(['Plant history', 'Plant history 2', 'Plant history 3']);
      expect(sheets.map((sheet) => sheet.rowCount)).toEqual([5, 5, 3]);
      expect(sheets[2]!.getRow(1).getCell(2).value).toBe('油温 (°C)');
      expect(sheets[2]!.getRow(3).getCell(2).value).toBe(9);
    } finally {
      await small.close();
    }
  });
});

describe('jobs', () => {
  const manyRows = (count: number) => Array.from({ length: count }, (_, index) => [T0 + index * 100, index % 1000] as const);

  it('reports progress as events at most every 250 ms, the last one saying done with the final row count', async () => {
    plant.addSamples('press1.temp', manyRows(150_000));
    const seen: { at: number; progress: ExportProgress }[] = [];
    const unsubscribe = plant.events.subscribe((message: EventMessage) => {
      if (message.event === 'export.progressed') seen.push({ at: performance.now(), progress: message.payload });
    });
    const { jobId } = service.start(request({ layout: 'long', to: T0 + 86_400_000 }), 'en');
    await service.settled(jobId);
    await waitFor(() => seen.at(-1)?.progress.state === 'done', 5000, { what: 'the final progress event' });
    unsubscribe();
    expect(seen.every((event) => event.progress.jobId === jobId)).toBe(true);
    for (let index = 1; index < seen.length; index++) expect(seen[index]!.at - seen[index - 1]!.at).toBeGreaterThanOrEqual(245);
    expect(seen.at(-1)!.progress).toEqual({ jobId, state: 'done', rowsWritten: 150_000, totalRowsEstimate: 150_000 });
    const running = seen.filter((event) => event.progress.state === 'running').map((event) => event.progress);
    expect(running.every((progress) => progress.totalRowsEstimate === 150_000 && progress.rowsWritten <= 150_000)).toBe(true);
  });

  it('keeps the process responsive while it runs: timers fire between chunks', async () => {
    plant.addSamples('press1.temp', manyRows(150_000));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const { jobId } = service.start(request({ layout: 'long', to: T0 + 86_400_000 }), 'en');
    await service.settled(jobId);
    clearInterval(timer);
    expect(service.status(jobId, 'en').state).toBe('done');
    expect(ticks).toBeGreaterThan(3);
  });

  it('a cancelled export leaves no file, and nothing can be downloaded from it', async () => {
    plant.addSamples('press1.temp', manyRows(300_000));
    let sawProgress = false;
    const unsubscribe = plant.events.subscribe((message: EventMessage) => {
      if (message.event === 'export.progressed' && message.payload.rowsWritten > 0) sawProgress = true;
    });
    for (const format of ['csv', 'xlsx'] as const) {
      sawProgress = false;
      const { jobId } = service.start(request({ layout: 'long', format, to: T0 + 86_400_000 }), 'en');
      await waitFor(() => sawProgress, 10_000, { what: 'the export to get under way' });
      expect(service.status(jobId, 'en').state).toBe('running');
      expect(exportFiles().some((name) => name.endsWith('.part'))).toBe(true);
      expect(service.cancel(jobId)).toBe(true);
      await service.settled(jobId);
      const status = service.status(jobId, 'en');
      expect(status.state).toBe('cancelled');
      expect(status.rowsWritten).toBeLessThan(300_000);
      expect(status.sizeBytes).toBeNull();
      expect(exportFiles()).toEqual([]);
      expect(() => service.file(jobId)).toThrow(/has no file to download \(cancelled\)/);
      await expect(service.download(jobId)).rejects.toMatchObject({ code: 'conflict' });
      expect(service.cancel(jobId)).toBe(false);
    }
    unsubscribe();
  });

  it('a running export offers no file yet; a finished one hands its bytes over as base64', async () => {
    plant.addSamples('press1.temp', manyRows(100_000));
    const { jobId } = service.start(request({ layout: 'long', to: T0 + 86_400_000 }), 'en');
    expect(() => service.file(jobId)).toThrow(/still being written/);
    await service.settled(jobId);
    const download = await service.download(jobId);
    expect(download.fileName).toBe('冲压机 1 2026-05-04 0800 - 2026-05-05 0800.csv');
    expect(download.mimeType).toBe('text/csv; charset=utf-8');
    expect(Buffer.from(download.contentBase64, 'base64').equals(fs.readFileSync(service.file(jobId).path))).toBe(true);
  });

  it('refuses unknown points, backwards ranges, unknown zones and unknown jobs with readable errors', () => {
    const refusal = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return { code: (error as AppError).code, message: (error as AppError).toBody('en').message };
      }
      throw new Error('not refused');
    };
    expect(refusal(() => service.start(request({ pointIds: ['press9.temp'] }), 'en'))).toMatchObject({ code: 'not_found', message: expect.stringContaining('press9.temp') });
    expect(refusal(() => service.start(request({ from: T0, to: T0 - 1 }), 'en'))).toMatchObject({ code: 'invalid_input' });
    expect(refusal(() => service.start(request({ timeZone: 'Asia/Peking' }), 'en'))).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('Asia/Peking') });
    expect(refusal(() => service.status('00000000-0000-4000-8000-000000000000', 'en'))).toMatchObject({ code: 'not_found' });
    expect(exportFiles()).toEqual([]);
  });

  it('runs at most two exports at once', async () => {
    plant.addSamples('press1.temp', manyRows(100_000));
    const first = service.start(request({ layout: 'long', to: T0 + 86_400_000 }), 'en');
    const second = service.start(request({ layout: 'long', to: T0 + 86_400_000 }), 'en');
    expect(() => service.start(request({}), 'en')).toThrow(expect.objectContaining({ code: 'conflict' }));
    await Promise.all([service.settled(first.jobId), service.settled(second.jobId)]);
    await exportNow({});
  });

  it('a failed export says why in the caller’s language and leaves no file', async () => {
    plant.addSamples('press1.temp', manyRows(50_000));
    // The exports folder replaced by a file: nothing can be written into it.
    fs.rmSync(service.folder, { recursive: true });
    fs.writeFileSync(service.folder, 'not a folder');
    const { jobId } = service.start(request({ layout: 'long', to: T0 + 86_400_000 }), 'en');
    await service.settled(jobId);
    const english = service.status(jobId, 'en');
    expect(english.state).toBe('failed');
    expect(english.error).toMatch(/^Cannot write the export 冲压机 1 .*\.csv: .*free disk space/);
    expect(service.status(jobId, 'zh-CN').error).toMatch(/^无法写入导出文件/);
    fs.rmSync(service.folder);
    fs.mkdirSync(service.folder);
    expect(exportFiles()).toEqual([]);
  });
});

describe('old exports', () => {
  it('keeps the newest ten, deletes older ones past 24 h, and survives a restart', async () => {
    plant.addSamples('press1.temp', [[T0, 1]]);
    const jobs: string[] = [];
    for (let index = 0; index < 12; index++) jobs.push((await exportNow({})).jobId);
    expect(exportFiles().filter((name) => name.endsWith('.csv'))).toHaveLength(10);
    expect(() => service.status(jobs[0]!, 'en')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => service.status(jobs[1]!, 'en')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(service.status(jobs[2]!, 'en').state).toBe('done');

    // A restart: the finished exports are still there; what an interrupted export left is removed.
    await service.close();
    fs.writeFileSync(path.join(service.folder, '11111111-1111-4111-8111-111111111111.csv.part'), 'half');
    service = plant.service({ maxAgeMs: 60_000 });
    expect(exportFiles().some((name) => name.endsWith('.part'))).toBe(false);
    const survivor = jobs[11]!;
    expect(service.status(survivor, 'en')).toMatchObject({ state: 'done', rowsWritten: 1 });
    expect((await service.download(survivor)).fileName).toMatch(/\.csv$/);

    // A day later (here: a minute), the sweep removes them.
    const later = Date.now() + 61_000;
    const realNow = Date.now;
    Date.now = () => later;
    try {
      service.sweep();
    } finally {
      Date.now = realNow;
    }
    expect(exportFiles()).toEqual([]);
    expect(() => service.status(survivor, 'en')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

export type { ExportServiceOptions };
