// Register map files: CSV (UTF-8, or GBK as Chinese Excel saves it) and Excel .xlsx, to and from a
// table of text cells. Reading never throws at the caller: an unreadable file is a problem report.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type MapFormat = 'csv' | 'xlsx';

export function formatOf(fileName: string): MapFormat {
  return /\.xlsx$/i.test(fileName) ? 'xlsx' : 'csv';
}

/** Text of a CSV file: UTF-8 when it is valid UTF-8, else GBK (what Chinese Windows Excel writes). */
export function decodeCsvBytes(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

export async function readTable(bytes: Buffer, format: MapFormat): Promise<string[][]> {
  if (format === 'csv') {
    const text = decodeCsvBytes(bytes);
    const delimiter = (text.split('\n')[0] ?? '').includes(';') && !(text.split('\n')[0] ?? '').includes(',') ? ';' : ',';
    return parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: false }) as string[][];
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, columnNumber) => {
      cells[columnNumber - 1] = cell.text ?? '';
    });
    table[rowNumber - 1] = Array.from(cells, (cell) => cell ?? '');
  });
  return Array.from(table, (row) => row ?? []);
}

export async function writeTable(table: readonly (readonly string[])[], format: MapFormat, sheetName = 'Register map'): Promise<Buffer> {
  if (format === 'csv') {
    // A byte-order mark so Excel opens Chinese names as UTF-8.
    return Buffer.from(`\uFEFF${stringify(table as string[][])}`, 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of table) sheet.addRow([...row]);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.columns.forEach((column) => {
    column.width = 14;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
