// Writers of an export table straight to a file, a row at a time: CSV through csv-stringify's stream
// (UTF-8 with a byte-order mark, so Excel shows Chinese names right), and .xlsx through exceljs's
// streaming WorkbookWriter (each row is committed to the zip as it is written). Neither keeps the
// rows: memory stays flat however long the file. The first column is always the time, given as an
// instant and written in the export's time zone.
import fs from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import type { ExportFormat } from '../../../shared/index.ts';
import type { LocalTime } from './local-time.ts';

export type Cell = string | number | null;

export interface TableWriter {
  /** Writes one row: the time, then the other cells. */
  writeRow(ts: number, cells: readonly Cell[]): void;
  /** Resolves when the writer can take more rows (the disk has caught up); rejects on a write error. */
  ready(): Promise<void>;
  /** Completes the file. */
  finish(): Promise<void>;
}

export interface TableOptions {
  file: string;
  /** Header of every column, the time column first. */
  header: readonly string[];
  localTime: LocalTime;
  /** Name of the worksheet (xlsx). */
  sheetName: string;
  /** Widths of the columns in characters (xlsx). */
  widths: readonly number[];
  /** Data rows per worksheet before a new one starts (xlsx; Excel allows 1 048 576 rows including the header). */
  rowsPerSheet?: number;
}

export const MIME_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Excel's own limit, less the header row. */
export const EXCEL_ROWS_PER_SHEET = 1_048_575;
/** Bytes waiting to reach the disk above which the writer pauses the export. */
const MAX_BACKLOG_BYTES = 1024 * 1024;

export function createTableWriter(format: ExportFormat, options: TableOptions): TableWriter {
  return format === 'csv' ? new CsvTableWriter(options) : new XlsxTableWriter(options);
}

/** Waits for the next turn of the event loop, so polling and calls go on between chunks. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class CsvTableWriter implements TableWriter {
  readonly #localTime: LocalTime;
  readonly #csv;
  readonly #done: Promise<void>;
  #error: Error | undefined;

  constructor(options: TableOptions) {
    this.#localTime = options.localTime;
    this.#csv = stringify({ bom: true, record_delimiter: 'windows' });
    const file = fs.createWriteStream(options.file);
    this.#csv.pipe(file);
    this.#csv.on('error', (error) => {
      this.#error ??= error;
      file.destroy(error);
    });
    file.on('error', (error) => {
      this.#error ??= error;
      this.#csv.unpipe(file);
      this.#csv.resume();
    });
    this.#done = finished(file).catch((error: Error) => {
      this.#error ??= error;
    });
    this.#csv.write([...options.header]);
  }

  writeRow(ts: number, cells: readonly Cell[]): void {
    this.#csv.write([this.#localTime.format(ts), ...cells]);
  }

  async ready(): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#csv.writableNeedDrain) await Promise.race([once(this.#csv, 'drain'), this.#done]);
    else await nextTurn();
    if (this.#error) throw this.#error;
  }

  async finish(): Promise<void> {
    this.#csv.end();
    await this.#done;
    if (this.#error) throw this.#error;
  }
}

interface PipeState {
  writableLength?: number;
  readableLength?: number;
  _writableState?: { length?: number };
  _readableState?: { length?: number };
}

class XlsxTableWriter implements TableWriter {
  readonly #options: TableOptions;
  readonly #file: fs.WriteStream;
  readonly #workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  readonly #failed: Promise<never>;
  readonly #rowsPerSheet: number;
  #sheet!: ExcelJS.Worksheet;
  #sheets = 0;
  #rowsInSheet = 0;
  #error: Error | undefined;

  constructor(options: TableOptions) {
    this.#options = options;
    this.#rowsPerSheet = Math.min(options.rowsPerSheet ?? EXCEL_ROWS_PER_SHEET, EXCEL_ROWS_PER_SHEET);
    this.#file = fs.createWriteStream(options.file);
    // Listened to from the start: exceljs listens only once it finalises, and an unheard stream error
    // would end the whole process.
    this.#failed = new Promise<never>((_resolve, reject) => {
      this.#file.on('error', (error) => {
        this.#error ??= error;
        reject(error);
      });
    });
    this.#failed.catch(() => {});
    this.#workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.#file, useStyles: true, useSharedStrings: false });
    (this.#workbook as unknown as { zip: NodeJS.EventEmitter }).zip.on('error', (error: Error) => {
      this.#error ??= error;
      this.#file.destroy(error);
    });
    this.#startSheet();
  }

  #startSheet(): void {
    this.#sheets++;
    const name = this.#sheets === 1 ? this.#options.sheetName : `${this.#options.sheetName} ${this.#sheets}`;
    this.#sheet = this.#workbook.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    this.#sheet.columns = this.#options.widths.map((width, index) => ({
      width,
      ...(index === 0 ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss.000' } } : {}),
    }));
    const header = this.#sheet.addRow([...this.#options.header]);
    header.font = { bold: true };
    header.commit();
    this.#rowsInSheet = 0;
  }

  writeRow(ts: number, cells: readonly Cell[]): void {
    if (this.#rowsInSheet >= this.#rowsPerSheet) {
      this.#sheet.commit();
      this.#startSheet();
    }
    this.#sheet.addRow([this.#options.localTime.excelDate(ts), ...cells]).commit();
    this.#rowsInSheet++;
  }

  async ready(): Promise<void> {
    if (this.#error) throw this.#error;
    await nextTurn();
    // exceljs hands rows on to the zip without waiting for it; wait here while the compressed data has
    // not reached the file yet, so a fast database cannot pile rows up in memory.
    while (this.#backlog() > MAX_BACKLOG_BYTES && !this.#error) await Promise.race([delay(5), this.#failed]);
    if (this.#error) throw this.#error;
  }

  /**
   * Bytes written to the worksheet that the zip has not yet taken, plus those waiting for the disk.
   * exceljs pipes each worksheet into a PassThrough of archiver's (readable-stream 2, which has no
   * writableLength): its internal state is the only place the backlog shows.
   */
  #backlog(): number {
    const sheetStream = (this.#sheet as unknown as { stream?: { pipes?: PipeState[] } }).stream;
    let bytes = this.#file.writableLength;
    for (const pipe of sheetStream?.pipes ?? []) {
      bytes += (pipe.writableLength ?? pipe._writableState?.length ?? 0) + (pipe.readableLength ?? pipe._readableState?.length ?? 0);
    }
    return bytes;
  }

  async finish(): Promise<void> {
    this.#sheet.commit();
    await Promise.race([this.#workbook.commit(), this.#failed]);
    if (this.#error) throw this.#error;
  }
}
