// Writing a value to a device: only to a point marked writable, only after the caller confirmed it,
// at the head of the link's queue, verified by reading it back, and recorded in the audit log whatever
// the outcome. Never implicit.
import {
  AppError,
  encodeValue,
  translate,
  type Device,
  type Locale,
  type Point,
} from '../../shared/index.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { pointSpan } from './block-planner.ts';
import { decodePoint, readBlock } from './device-poller.ts';
import { linkAddress, PRIORITY, type ModbusClient, type ModbusLink } from './modbus-link.ts';

export interface WriteResult {
  pointId: string;
  oldValue: number | string | null;
  newValue: number | string | null;
  readBack: number | string | null;
  verified: boolean;
}

/** Registers (or a coil state) for an engineering value: (value - offset) / scale, then the codec. */
export function rawForWrite(point: Point, value: number | string): number[] {
  if (point.dataType === 'string') return encodeValue(String(value), 'string', point.wordOrder, point.length ?? 1);
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) {
    throw new AppError('invalid_input', 'error.valueNotNumber', { params: { value: String(value), point: point.name } });
  }
  if (point.dataType === 'bool') return [number ? 1 : 0];
  const raw = (number - point.offset) / (point.scale || 1);
  try {
    return encodeValue(raw, point.dataType, point.wordOrder);
  } catch (error) {
    throw new AppError('invalid_input', 'error.valueNotNumber', { params: { value: String(value), point: point.name }, cause: error });
  }
}

async function writeRaw(client: ModbusClient, device: Device, point: Point, registers: number[]): Promise<void> {
  if (point.function === 'coil') {
    await client.writeCoil(point.address, registers[0] !== 0);
  } else if (point.dataType === 'bit') {
    // A bit inside a holding register: read-modify-write of the whole register.
    const current = (await client.readHoldingRegisters(point.address, 1)).data[0] ?? 0;
    const bit = 1 << (point.bit ?? 0);
    const updated = registers[0] ? current | bit : current & ~bit;
    await client.writeRegisters(point.address, [updated]);
  } else if (registers.length === 1 && device.writeFunction !== 'multiple') {
    await client.writeRegister(point.address, registers[0]!);
  } else {
    await client.writeRegisters(point.address, registers);
  }
}

const sameValue = (a: number | string | null, b: number | string | null, point: Point) =>
  typeof a === 'number' && typeof b === 'number'
    ? Math.abs(a - b) <= Math.max(1e-6, Math.abs(point.scale) / 2, point.dataType === 'float32' ? Math.abs(a) * 1e-6 : 0)
    : a === b;

export async function writePoint(options: {
  link: ModbusLink;
  device: Device;
  point: Point;
  value: number | string;
  actor: string;
  audit: AuditLog;
  locale: Locale;
}): Promise<WriteResult> {
  const { link, device, point, value, actor, audit, locale } = options;
  const target = `${device.name} / ${point.name}`;
  if (!point.writable || point.function === 'input' || point.function === 'discrete') {
    throw new AppError('forbidden', 'error.pointNotWritable', { params: { point: point.name } });
  }
  const registers = rawForWrite(point, value);
  const label = { device: device.name, address: linkAddress(device.connection), timeoutMs: device.timeoutMs };
  const block = { function: point.function, start: point.address, count: pointSpan(point), points: [point] };
  const read = () => link.request(device.unitId, label, (client) => readBlock(client, block), PRIORITY.write).then((data) => decodePoint(point, block, data));
  let oldValue: number | string | null = null;
  try {
    oldValue = await read();
    await link.request(device.unitId, label, (client) => writeRaw(client, device, point, registers), PRIORITY.write);
    const readBack = await read();
    const expected = point.dataType === 'string' ? String(value) : Number(value);
    const verified = sameValue(readBack, expected, point);
    const message = verified ? null : translate(locale, 'error.writeNotVerified', { value: String(value), point: point.name, readBack: String(readBack) });
    audit.record({ actor, action: 'point.write', target, oldValue: String(oldValue), newValue: String(value), result: verified ? 'ok' : 'failed', message });
    return { pointId: point.id, oldValue, newValue: expected, readBack, verified };
  } catch (error) {
    const message = error instanceof AppError ? translate(locale, error.key, error.params) : String(error);
    audit.record({ actor, action: 'point.write', target, oldValue: oldValue === null ? null : String(oldValue), newValue: String(value), result: 'failed', message });
    throw error;
  }
}
