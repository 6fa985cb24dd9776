// Register map rows (a table of text cells from a CSV or Excel file) to points and back. Every bad
// cell is reported by row and column in the user's language; rows with problems are kept apart so
// the caller can refuse the file or import only the good rows.
import {
  formatAddress,
  parseAddress,
  PointSchema,
  pointListProblems,
  translate,
  type AddressStyle,
  type Locale,
  type MapProblem,
  type MessageKey,
  type Point,
} from '../../../shared/index.ts';
import { zodErrorMap } from '../../contract/zod-locale.ts';
import {
  columnForHeader,
  COLUMNS,
  DATA_TYPE_WORDS,
  EXPORT_HEADERS,
  FUNCTION_WORDS,
  KIND_WORDS,
  lookup,
  WORD_ORDER_WORDS,
  WRITABLE_WORDS,
  type Column,
} from './columns.ts';

export interface MapReading {
  /** Points from rows without problems. */
  points: Point[];
  problems: MapProblem[];
  /** Rows that had at least one problem (one-based, header = 1). */
  badRows: number[];
}

const REQUIRED: readonly Column[] = ['name', 'address', 'dataType'];

/** A point id from the device id and the point's name; names in other scripts get the row number. */
export function pointIdFor(deviceId: string, name: string, row: number): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ? next.toUpperCase() : ''))
    .replace(/^[A-Z]/, (first) => first.toLowerCase())
    .slice(0, 40);
  return `${deviceId}.${slug || `p${row}`}`;
}

export function rowsToPoints(
  table: readonly (readonly string[])[],
  options: { deviceId: string; addressStyle: AddressStyle; locale: Locale },
): MapReading {
  const { deviceId, addressStyle, locale } = options;
  const problems: MapProblem[] = [];
  const say = (row: number, column: string, key: MessageKey, params: Record<string, string | number> = {}) =>
    problems.push({ row, column, message: translate(locale, key, params), severity: key === 'map.problem.unknownColumn' ? 'warning' : 'error' });

  const nonEmpty = table.filter((cells) => cells.some((cell) => cell.trim() !== ''));
  const header = nonEmpty[0];
  if (!header || nonEmpty.length < 2) {
    say(1, '', 'map.problem.emptyFile');
    return { points: [], problems, badRows: [] };
  }
  const headerRow = table.indexOf(header) + 1;
  const columnAt = new Map<number, Column>();
  header.forEach((text, index) => {
    const column = columnForHeader(text);
    if (column && ![...columnAt.values()].includes(column)) columnAt.set(index, column);
    else if (text.trim() !== '') say(headerRow, text, 'map.problem.unknownColumn', { column: text });
  });
  const headerOf = (column: Column) => {
    const index = [...columnAt.entries()].find(([, value]) => value === column)?.[0];
    return index === undefined ? EXPORT_HEADERS[column] : (header[index] ?? EXPORT_HEADERS[column]);
  };
  const missing = REQUIRED.filter((column) => ![...columnAt.values()].includes(column));
  if (missing.length > 0) {
    for (const column of missing) say(headerRow, EXPORT_HEADERS[column], 'map.problem.missingColumn', { column: EXPORT_HEADERS[column] });
    return { points: [], problems, badRows: [] };
  }

  const candidates: { row: number; point: Point }[] = [];
  const badRows = new Set<number>();
  const generatedIds = new Set<string>();
  for (const cells of table.slice(headerRow)) {
    const row = table.indexOf(cells, headerRow) + 1;
    if (!cells.some((cell) => cell.trim() !== '')) continue;
    const cell = (column: Column) => {
      for (const [index, value] of columnAt) if (value === column) return (cells[index] ?? '').trim();
      return '';
    };
    const bad = (column: Column, value: string, reason: string) => {
      badRows.add(row);
      say(row, headerOf(column), 'map.problem.badValue', { value, column: headerOf(column), reason });
    };
    const number = (column: Column, fallback: number | undefined): number | undefined => {
      const text = cell(column);
      if (text === '') return fallback;
      const value = Number(text.replace(',', '.'));
      if (!Number.isFinite(value)) bad(column, text, translate(locale, 'map.reason.notNumber'));
      return Number.isFinite(value) ? value : fallback;
    };

    const functionText = cell('function');
    const explicitFunction = functionText ? lookup(FUNCTION_WORDS, functionText) : undefined;
    if (functionText && !explicitFunction) bad('function', functionText, translate(locale, 'map.reason.function'));
    const address = parseAddress(cell('address'), addressStyle, explicitFunction ?? 'holding');
    if (!address.ok) bad('address', cell('address'), translate(locale, address.key as MessageKey, address.params));
    const dataType = lookup(DATA_TYPE_WORDS, cell('dataType'));
    if (!dataType) bad('dataType', cell('dataType'), translate(locale, 'map.reason.dataType'));
    const orderText = cell('wordOrder');
    const wordOrder = orderText ? lookup(WORD_ORDER_WORDS, orderText) : 'ABCD';
    if (!wordOrder) bad('wordOrder', orderText, translate(locale, 'map.reason.wordOrder'));
    const writableText = cell('writable');
    const writable = writableText ? lookup(WRITABLE_WORDS, writableText) : 'no';
    if (!writable) bad('writable', writableText, translate(locale, 'map.reason.writable'));
    // Files from before the column (or with the cell left blank) sum their points up as measurements.
    const kindText = cell('kind');
    const kind = kindText ? lookup(KIND_WORDS, kindText) : 'analog';
    if (!kind) bad('kind', kindText, translate(locale, 'map.reason.kind'));
    const name = cell('name');
    if (!name) bad('name', '', translate(locale, 'map.reason.name'));

    // A generated id that two names share ("Temp 1", "Temp-1") gets the row number: the file's names
    // are what the technician checks; only a duplicate *name* is theirs to fix.
    let id = cell('id');
    if (!id) {
      id = pointIdFor(deviceId, name, row);
      if (generatedIds.has(id)) id = `${id}_${row}`;
      generatedIds.add(id);
    }
    const draft = {
      id,
      deviceId,
      name,
      description: cell('description'),
      unit: cell('unit'),
      function: explicitFunction ?? (address.ok ? address.function : 'holding'),
      address: address.ok ? address.address : 0,
      dataType: dataType ?? 'uint16',
      bit: number('bit', undefined),
      length: number('length', undefined),
      wordOrder: wordOrder ?? 'ABCD',
      scale: number('scale', 1),
      offset: number('offset', 0),
      deadband: number('deadband', 0),
      scanMs: number('scanMs', 1000),
      writable: writable === 'yes',
      kind: kind ?? 'analog',
    };
    if (badRows.has(row)) continue;
    const parsed = PointSchema.safeParse(draft, { error: zodErrorMap(locale) });
    if (!parsed.success) {
      badRows.add(row);
      for (const issue of parsed.error.issues) {
        const column = (COLUMNS as readonly string[]).includes(String(issue.path[0])) ? (issue.path[0] as Column) : 'name';
        say(row, headerOf(column), 'map.problem.badValue', { value: cell(column), column: headerOf(column), reason: issue.message });
      }
      continue;
    }
    candidates.push({ row, point: parsed.data });
  }

  for (const problem of pointListProblems(candidates.map((candidate) => candidate.point))) {
    const row = candidates[problem.index]!.row;
    badRows.add(row);
    // The list numbers its entries; the technician needs the file's row of the other one.
    const other = typeof problem.params.row === 'number' ? candidates[problem.params.row - 1]?.row : undefined;
    const params = other === undefined ? problem.params : { ...problem.params, row: other };
    problems.push({ row, column: headerOf(problem.field as Column), message: translate(locale, problem.key as MessageKey, params), severity: 'error' });
  }
  return {
    points: candidates.filter((candidate) => !badRows.has(candidate.row)).map((candidate) => candidate.point),
    problems,
    badRows: [...badRows].sort((a, b) => a - b),
  };
}

/** Points as a table whose first row is the header, ready for CSV or Excel. */
export function pointsToRows(points: readonly Point[], addressStyle: AddressStyle): string[][] {
  const header = COLUMNS.map((column) => EXPORT_HEADERS[column]);
  const rows = points.map((point) =>
    COLUMNS.map((column): string => {
      switch (column) {
        case 'address': return formatAddress(point.function, point.address, addressStyle);
        case 'writable': return point.writable ? 'yes' : 'no';
        case 'bit': return point.bit === undefined ? '' : String(point.bit);
        case 'length': return point.length === undefined ? '' : String(point.length);
        default: return String(point[column]);
      }
    }),
  );
  return [header, ...rows];
}
