// The device editor's form and the Device it stands for. Inputs hold text as typed; turning the form
// into a Device parses the numbers and lets the contract's own schema judge the result, so the form
// refuses exactly what devices.save would refuse, with a message per field.
import {
  DeviceSchema,
  type Connection,
  type Device,
  WRITE_FUNCTIONS,
} from '../../../../shared/domain/devices.ts';
import { parseNumberText, schemaErrors, type FieldErrors } from '../../validation/schema-errors.ts';

export type ConnectionKind = Connection['kind'];
export type Parity = 'none' | 'even' | 'odd';
export type WriteFunction = (typeof WRITE_FUNCTIONS)[number];

/** Baud rates offered in the editor and the unit-id scan; a typed one is allowed too. */
export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/** The connection part of the form, shared with the unit-id scan. */
export interface ConnectionForm {
  kind: ConnectionKind;
  host: string;
  port: string;
  path: string;
  baudRate: string;
  parity: Parity;
  dataBits: '7' | '8';
  stopBits: '1' | '2';
}

export interface DeviceForm extends ConnectionForm {
  /** The saved device's id; '' until the device is first saved. */
  id: string;
  name: string;
  unitId: string;
  timeoutMs: string;
  retries: string;
  enabled: boolean;
  demo: boolean;
  mergeReads: boolean;
  maxGap: string;
  maxRegistersPerRead: string;
  maxBitsPerRead: string;
  writeFunction: WriteFunction;
}

const DEFAULT_TCP_PORT = '502';

/** A new device as most arrive: Modbus TCP on port 502, unit 1, the contract's defaults elsewhere. */
export function newDeviceForm(): DeviceForm {
  const defaults = DeviceSchema.parse({ id: 'new', name: 'new', connection: { kind: 'tcp', host: 'x', port: 502 } });
  return {
    id: '',
    name: '',
    kind: 'tcp',
    host: '',
    port: DEFAULT_TCP_PORT,
    path: '',
    baudRate: '9600',
    parity: 'none',
    dataBits: '8',
    stopBits: '1',
    unitId: String(defaults.unitId),
    timeoutMs: String(defaults.timeoutMs),
    retries: String(defaults.retries),
    enabled: defaults.enabled,
    demo: false,
    mergeReads: defaults.mergeReads,
    maxGap: String(defaults.maxGap),
    maxRegistersPerRead: String(defaults.maxRegistersPerRead),
    maxBitsPerRead: String(defaults.maxBitsPerRead),
    writeFunction: defaults.writeFunction,
  };
}

/** The connection fields of a saved connection; fields of the other kinds keep their defaults. */
export function connectionToForm(connection: Connection, base: ConnectionForm = newDeviceForm()): ConnectionForm {
  if (connection.kind === 'rtu') {
    return {
      ...pickConnection(base),
      kind: 'rtu',
      path: connection.path,
      baudRate: String(connection.baudRate),
      parity: connection.parity,
      dataBits: String(connection.dataBits) as '7' | '8',
      stopBits: String(connection.stopBits) as '1' | '2',
    };
  }
  return { ...pickConnection(base), kind: connection.kind, host: connection.host, port: String(connection.port) };
}

export function pickConnection(form: ConnectionForm): ConnectionForm {
  const { kind, host, port, path, baudRate, parity, dataBits, stopBits } = form;
  return { kind, host, port, path, baudRate, parity, dataBits, stopBits };
}

export function deviceToForm(device: Device): DeviceForm {
  return {
    ...newDeviceForm(),
    ...connectionToForm(device.connection),
    id: device.id,
    name: device.name,
    unitId: String(device.unitId),
    timeoutMs: String(device.timeoutMs),
    retries: String(device.retries),
    enabled: device.enabled,
    demo: device.demo,
    mergeReads: device.mergeReads,
    maxGap: String(device.maxGap),
    maxRegistersPerRead: String(device.maxRegistersPerRead),
    maxBitsPerRead: String(device.maxBitsPerRead),
    writeFunction: device.writeFunction,
  };
}

/**
 * An id for a new device from its name: "Press line 2" → "press-line-2"; names in other scripts get
 * "device-1", "device-2", … Never one of `taken`.
 */
export function newDeviceId(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const slug = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const base = slug || 'device';
  if (slug && !used.has(base)) return base;
  for (let n = slug ? 2 : 1; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

type Converted<T> = { ok: true; value: T; errors: FieldErrors } | { ok: false; errors: FieldErrors };

/** Numbers of the form, or the fields whose text is not a number. */
function readNumbers<K extends string>(form: Record<K, string>, fields: readonly K[], errors: FieldErrors, prefix = ''): Record<K, number> {
  const numbers = {} as Record<K, number>;
  for (const field of fields) {
    const parsed = parseNumberText(form[field]);
    if (parsed.ok) numbers[field] = parsed.value;
    else {
      errors[`${prefix}${field}`] = parsed.error;
      numbers[field] = Number.NaN;
    }
  }
  return numbers;
}

/** The connection the form describes, unchecked (numbers that are not numbers are NaN, and reported). */
export function formToConnection(form: ConnectionForm, errors: FieldErrors): Connection {
  if (form.kind === 'rtu') {
    const { baudRate } = readNumbers(form, ['baudRate'], errors, 'connection.');
    return {
      kind: 'rtu',
      path: form.path.trim(),
      baudRate,
      parity: form.parity,
      dataBits: Number(form.dataBits) as 7 | 8,
      stopBits: Number(form.stopBits) as 1 | 2,
    };
  }
  const { port } = readNumbers(form, ['port'], errors, 'connection.');
  return { kind: form.kind, host: form.host.trim(), port };
}

/** Just the connection, checked (the unit-id scan needs no more). */
export function formToCheckedConnection(form: ConnectionForm): Converted<Connection> {
  const errors: FieldErrors = {};
  const device = formToDevice({ ...newDeviceForm(), ...pickConnection(form), name: 'scan' }, []);
  for (const [path, message] of Object.entries(device.errors)) if (path.startsWith('connection.')) errors[path] = message;
  if (Object.keys(errors).length > 0 || !device.ok) return { ok: false, errors };
  return { ok: true, value: device.value.connection, errors };
}

/**
 * The Device the form describes, or the problem of each field. A new device gets an id from its name
 * that none of `takenIds` has.
 */
export function formToDevice(form: DeviceForm, takenIds: Iterable<string>): Converted<Device> {
  const errors: FieldErrors = {};
  const numbers = readNumbers(form, ['unitId', 'timeoutMs', 'retries', 'maxGap', 'maxRegistersPerRead', 'maxBitsPerRead'], errors);
  const candidate = {
    id: form.id || newDeviceId(form.name, takenIds),
    name: form.name.trim(),
    connection: formToConnection(form, errors),
    ...numbers,
    enabled: form.enabled,
    demo: form.demo,
    mergeReads: form.mergeReads,
    writeFunction: form.writeFunction,
  };
  const parsed = DeviceSchema.safeParse(candidate);
  if (!parsed.success) {
    // Text that is not a number keeps its own message rather than the schema's "expected number".
    const fromSchema = schemaErrors(DeviceSchema, candidate, parsed.error.issues);
    return { ok: false, errors: { ...fromSchema, ...errors } };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: parsed.data, errors };
}
