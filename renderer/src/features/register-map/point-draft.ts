// One row of the register map editor and the Point it stands for. The address is text in the chosen
// style (Modicon 40001, one-based, zero-based); in Modicon style its first digit is the function, so
// typing 30001 makes the row an input register. Numbers stay text until the row is converted, when
// the contract's schema and pointProblems judge it, field by field.
import { formatAddress, parseAddress, type AddressStyle } from '../../../../shared/domain/address.ts';
import {
  pointListProblems,
  pointProblems,
  PointSchema,
  type DataType,
  type Point,
  type PointFunction,
  type PointKind,
  type WordOrder,
} from '../../../../shared/domain/devices.ts';
import { registerCount } from '../../../../shared/codec/registers.ts';
import { isMessageKey } from '../../format/translate-message.ts';
import { parseNumberText, schemaErrors, type FieldErrors, type FieldMessage } from '../../validation/schema-errors.ts';

/** Scan classes a technician picks from; anything else is a custom period in ms. */
export const SCAN_CLASSES = ['100', '1000', '10000', '60000'] as const;
export type ScanClass = (typeof SCAN_CLASSES)[number] | 'custom';

export interface PointDraft {
  /** Stable key of the row on screen (ids change while a new row is named). */
  key: string;
  /** The saved point's id; '' for a row not saved yet. */
  id: string;
  name: string;
  description: string;
  unit: string;
  function: PointFunction;
  address: string;
  dataType: DataType;
  bit: string;
  length: string;
  wordOrder: WordOrder;
  scale: string;
  offset: string;
  deadband: string;
  scanClass: ScanClass;
  /** The period in ms when scanClass is 'custom'. */
  scanMs: string;
  writable: boolean;
  /** How the history sums the point up: a measurement, a counter or a state. */
  kind: PointKind;
  /** The point's own retention, kept as it is (the editor does not show it). */
  retention?: Point['retention'];
}

const isBitArea = (fn: PointFunction) => fn === 'coil' || fn === 'discrete';

let keyCounter = 0;
/** A new row key, unique for the session. */
export function nextRowKey(): string {
  keyCounter += 1;
  return `row-${keyCounter}`;
}

export function pointToDraft(point: Point, style: AddressStyle, key = nextRowKey()): PointDraft {
  const scanClass = (SCAN_CLASSES as readonly string[]).includes(String(point.scanMs)) ? (String(point.scanMs) as ScanClass) : 'custom';
  return {
    key,
    id: point.id,
    name: point.name,
    description: point.description,
    unit: point.unit,
    function: point.function,
    address: formatAddress(point.function, point.address, style),
    dataType: point.dataType,
    bit: point.bit === undefined ? '' : String(point.bit),
    length: point.length === undefined ? '' : String(point.length),
    wordOrder: point.wordOrder,
    scale: String(point.scale),
    offset: String(point.offset),
    deadband: String(point.deadband),
    scanClass,
    scanMs: String(point.scanMs),
    writable: point.writable,
    kind: point.kind,
    ...(point.retention ? { retention: point.retention } : {}),
  };
}

/** Registers (or bits) a row occupies, so a new row can start right after it. */
function span(draft: PointDraft): number {
  if (isBitArea(draft.function)) return 1;
  const length = Number.parseInt(draft.length, 10);
  return registerCount(draft.dataType, Number.isInteger(length) && length > 0 ? length : 1);
}

/** The address right after `draft` in `style`, or '' when its own address does not parse. */
function addressAfter(draft: PointDraft, style: AddressStyle): string {
  const parsed = parseAddress(draft.address, style, draft.function);
  if (!parsed.ok || parsed.address + span(draft) > 65535) return '';
  return formatAddress(parsed.function, parsed.address + span(draft), style);
}

/** A name like `name` that none of `taken` has: "Temp" → "Temp 2", "Temp 2" → "Temp 3". */
export function freeName(name: string, taken: readonly string[]): string {
  const used = new Set(taken.map((other) => other.trim().toLowerCase()));
  if (!used.has(name.trim().toLowerCase())) return name;
  const base = name.replace(/\s+\d+$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${base} ${n}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** A new row: after the last row (same function, type and scan class), or holding register 40001 as uint16. */
export function newPointDraft(last: PointDraft | undefined, style: AddressStyle, key = nextRowKey()): PointDraft {
  if (last) {
    const { retention: _retention, ...like } = last;
    return { ...like, key, id: '', name: '', description: '', unit: '', address: addressAfter(last, style), writable: false };
  }
  return {
    key,
    id: '',
    name: '',
    description: '',
    unit: '',
    function: 'holding',
    address: formatAddress('holding', 0, style),
    dataType: 'uint16',
    bit: '',
    length: '',
    wordOrder: 'ABCD',
    scale: '1',
    offset: '0',
    deadband: '0',
    scanClass: '1000',
    scanMs: '1000',
    writable: false,
    kind: 'analog',
  };
}

/** A copy of a row for the next registers, with a free name. */
export function duplicateDraft(draft: PointDraft, all: readonly PointDraft[], style: AddressStyle, key = nextRowKey()): PointDraft {
  // The original's own retention is not shown in the editor, so a copy does not silently inherit it.
  const { retention: _retention, ...like } = draft;
  return {
    ...like,
    key,
    id: '',
    name: freeName(draft.name || '?', all.map((row) => row.name)),
    address: addressAfter(draft, style) || draft.address,
  };
}

/** Types that fit a data area: bits for coils and discrete inputs, anything but bool for registers. */
function fitType(fn: PointFunction, dataType: DataType): DataType {
  if (isBitArea(fn)) return 'bool';
  return dataType === 'bool' ? 'uint16' : dataType;
}

const isOnOff = (dataType: DataType) => dataType === 'bool' || dataType === 'bit';

/**
 * The kind a row suggests once its type became an on/off bit: a bit is a state (time on and off),
 * so a row still at the default 'analog' turns 'state'. A kind the technician chose stays.
 */
function suggestKind(before: PointDraft, after: PointDraft): PointDraft {
  if (isOnOff(after.dataType) && !isOnOff(before.dataType) && after.kind === 'analog') return { ...after, kind: 'state' };
  return after;
}

/** The row after picking a data type (a bool or bit row still at 'analog' becomes a state). */
export function withDataType(draft: PointDraft, dataType: DataType): PointDraft {
  return suggestKind(draft, { ...draft, dataType });
}

/** The row after typing an address; in Modicon style the first digit sets the function. */
export function withAddress(draft: PointDraft, text: string, style: AddressStyle): PointDraft {
  const next = { ...draft, address: text };
  if (style !== 'modicon') return next;
  const parsed = parseAddress(text, style, draft.function);
  if (!parsed.ok || parsed.function === draft.function) return next;
  return suggestKind(draft, { ...next, function: parsed.function, dataType: fitType(parsed.function, draft.dataType) });
}

/** The row after picking a function: the Modicon prefix follows, and the type fits the new area. */
export function withFunction(draft: PointDraft, fn: PointFunction, style: AddressStyle): PointDraft {
  const parsed = parseAddress(draft.address, style, draft.function);
  const address = parsed.ok && style === 'modicon' ? formatAddress(fn, parsed.address, style) : draft.address;
  return suggestKind(draft, { ...draft, function: fn, address, dataType: fitType(fn, draft.dataType), writable: fn === 'discrete' || fn === 'input' ? false : draft.writable });
}

/** Every row's address rewritten from one style to another (addresses that do not parse stay as typed). */
export function restyle(drafts: readonly PointDraft[], from: AddressStyle, to: AddressStyle): PointDraft[] {
  if (from === to) return [...drafts];
  return drafts.map((draft) => {
    const parsed = parseAddress(draft.address, from, draft.function);
    return parsed.ok ? { ...draft, function: parsed.function, address: formatAddress(parsed.function, parsed.address, to) } : draft;
  });
}

/** A point id from a name, like the register map import makes them: "Spindle speed" → "<device>.spindleSpeed". */
export function pointIdFor(deviceId: string, name: string, row: number, taken: ReadonlySet<string>): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ? next.toUpperCase() : ''))
    .replace(/^[A-Z]/, (first) => first.toLowerCase())
    .slice(0, 40);
  const base = `${deviceId}.${slug || `p${row}`}`.slice(0, 60);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

const ADDRESS_MESSAGE: Record<AddressStyle, FieldMessage> = {
  modicon: { key: 'mapEditor.addressInvalid.modicon' },
  oneBased: { key: 'mapEditor.addressInvalid.oneBased' },
  zeroBased: { key: 'mapEditor.addressInvalid.zeroBased' },
};

/** One row as a Point (with `id`), or the problem of each of its fields. */
export function draftToPoint(draft: PointDraft, deviceId: string, id: string, style: AddressStyle): { point: Point | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const number = (field: 'scale' | 'offset' | 'deadband' | 'bit' | 'length' | 'scanMs', text: string): number => {
    const parsed = parseNumberText(text);
    if (parsed.ok) return parsed.value;
    errors[field] = parsed.error;
    return Number.NaN;
  };
  const address = parseAddress(draft.address, style, draft.function);
  if (!address.ok) errors.address = ADDRESS_MESSAGE[style];
  const candidate: Record<string, unknown> = {
    id,
    deviceId,
    name: draft.name.trim(),
    description: draft.description.trim(),
    unit: draft.unit.trim(),
    function: address.ok ? address.function : draft.function,
    address: address.ok ? address.address : 0,
    dataType: draft.dataType,
    wordOrder: draft.wordOrder,
    scale: number('scale', draft.scale),
    offset: number('offset', draft.offset),
    deadband: number('deadband', draft.deadband),
    scanMs: draft.scanClass === 'custom' ? number('scanMs', draft.scanMs) : Number(draft.scanClass),
    writable: draft.writable,
    kind: draft.kind,
  };
  if (draft.retention) candidate.retention = draft.retention;
  // A bit number or a string length only where the type uses one; a blank one is pointProblems' to report.
  if (draft.dataType === 'bit' && draft.bit.trim() !== '') candidate.bit = number('bit', draft.bit);
  if (draft.dataType === 'string' && draft.length.trim() !== '') candidate.length = number('length', draft.length);
  const parsed = PointSchema.safeParse(candidate);
  if (!parsed.success) {
    return { point: null, errors: { ...schemaErrors(PointSchema, candidate, parsed.error.issues), ...errors } };
  }
  for (const problem of pointProblems(parsed.data)) {
    if (!errors[problem.field] && isMessageKey(problem.key)) errors[problem.field] = { key: problem.key, params: problem.params };
  }
  return { point: Object.keys(errors).length === 0 ? parsed.data : null, errors };
}

export interface MapCheck {
  /** All rows as points, in order, when every row is fine; else null. */
  points: Point[] | null;
  /** Problems by row key, then by field. */
  errors: Record<string, FieldErrors>;
  problemCount: number;
  /** The point id each row was given (new rows get one from their name). */
  ids: Record<string, string>;
  /** The rows without problems as points, in order (what "Read now" can read while others are being fixed). */
  goodRows: { key: string; point: Point }[];
}

/** Checks the whole map: each row, then names and ids used twice. */
export function checkMap(drafts: readonly PointDraft[], deviceId: string, style: AddressStyle): MapCheck {
  const taken = new Set(drafts.map((draft) => draft.id).filter(Boolean));
  const ids: Record<string, string> = {};
  drafts.forEach((draft, index) => {
    if (draft.id) ids[draft.key] = draft.id;
    else {
      ids[draft.key] = pointIdFor(deviceId, draft.name, index + 1, taken);
      taken.add(ids[draft.key]!);
    }
  });
  const errors: Record<string, FieldErrors> = {};
  const converted = drafts.map((draft) => {
    const { point, errors: rowErrors } = draftToPoint(draft, deviceId, ids[draft.key]!, style);
    if (Object.keys(rowErrors).length > 0) errors[draft.key] = rowErrors;
    return point;
  });
  // Names and ids used twice, among the rows that are otherwise fine (row numbers as on screen).
  const valid = converted.flatMap((point, index) => (point ? [{ point, index }] : []));
  for (const problem of pointListProblems(valid.map((entry) => entry.point))) {
    const index = valid[problem.index]!.index;
    const key = drafts[index]!.key;
    const rowErrors = (errors[key] ??= {});
    const params = { ...problem.params };
    if (typeof params.row === 'number') params.row = (valid[params.row - 1]?.index ?? params.row - 1) + 1;
    if (!rowErrors[problem.field] && isMessageKey(problem.key)) rowErrors[problem.field] = { key: problem.key, params };
  }
  const complete = converted.every((point): point is Point => point !== null);
  const problemCount = Object.values(errors).reduce((sum, rowErrors) => sum + Object.keys(rowErrors).length, 0);
  const goodRows = drafts.flatMap((draft, index) => {
    const point = converted[index];
    return point && !errors[draft.key] ? [{ key: draft.key, point }] : [];
  });
  return { points: complete && problemCount === 0 ? converted : null, errors, problemCount, ids, goodRows };
}
