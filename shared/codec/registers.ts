// Turning Modbus registers into engineering values and back, for every data type and byte/word order.
// Pure and total: the poller, the write path, the demo plant and the tests all go through here.
import type { DataType, WordOrder } from '../domain/devices.ts';

/** How many 16-bit registers a value of this type occupies (bits and coils occupy one). */
export function registerCount(dataType: DataType, length = 1): number {
  switch (dataType) {
    case 'bool':
    case 'bit':
    case 'int16':
    case 'uint16':
      return 1;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 2;
    case 'int64':
    case 'uint64':
    case 'float64':
      return 4;
    case 'string':
      return length;
  }
}

const swapsWords = (order: WordOrder) => order === 'CDAB' || order === 'DCBA';
const swapsBytes = (order: WordOrder) => order === 'BADC' || order === 'DCBA';

/** Registers as they arrive, reordered into big-endian bytes (ABCD...). Strings keep register order. */
function toBigEndianBytes(registers: readonly number[], order: WordOrder, keepWordOrder: boolean): Uint8Array {
  const words = keepWordOrder || !swapsWords(order) ? registers : [...registers].reverse();
  const bytes = new Uint8Array(words.length * 2);
  words.forEach((word, index) => {
    const high = (word >> 8) & 0xff;
    const low = word & 0xff;
    bytes[index * 2] = swapsBytes(order) ? low : high;
    bytes[index * 2 + 1] = swapsBytes(order) ? high : low;
  });
  return bytes;
}

function fromBigEndianBytes(bytes: Uint8Array, order: WordOrder, keepWordOrder: boolean): number[] {
  const words: number[] = [];
  for (let index = 0; index < bytes.length; index += 2) {
    const high = bytes[index] ?? 0;
    const low = bytes[index + 1] ?? 0;
    words.push(swapsBytes(order) ? (low << 8) | high : (high << 8) | low);
  }
  return keepWordOrder || !swapsWords(order) ? words : words.reverse();
}

/**
 * Decodes the raw registers of one point. 64-bit integers beyond 2^53 lose precision (shown as numbers).
 * @example decodeRegisters([0x0000, 0x4120], 'float32', 'CDAB') // 10
 */
export function decodeRegisters(
  registers: readonly number[],
  dataType: DataType,
  order: WordOrder,
  bit = 0,
): number | string {
  const count = dataType === 'string' ? registers.length : registerCount(dataType);
  if (registers.length < count) {
    throw new RangeError(`${dataType} needs ${count} registers, got ${registers.length}`);
  }
  const slice = registers.slice(0, count);
  if (dataType === 'bool') return (slice[0] ?? 0) !== 0 ? 1 : 0;
  if (dataType === 'bit') return ((slice[0] ?? 0) >> bit) & 1;
  if (dataType === 'string') {
    const bytes = toBigEndianBytes(slice, order, true);
    let text = '';
    for (const byte of bytes) {
      if (byte === 0) break;
      text += String.fromCharCode(byte);
    }
    return text.trimEnd();
  }
  const view = new DataView(toBigEndianBytes(slice, order, false).buffer);
  switch (dataType) {
    case 'int16': return view.getInt16(0);
    case 'uint16': return view.getUint16(0);
    case 'int32': return view.getInt32(0);
    case 'uint32': return view.getUint32(0);
    case 'float32': return view.getFloat32(0);
    case 'int64': return Number(view.getBigInt64(0));
    case 'uint64': return Number(view.getBigUint64(0));
    case 'float64': return view.getFloat64(0);
  }
}

/**
 * Encodes a value into the registers a device expects; the inverse of decodeRegisters.
 * Integers are rounded and must fit their type; strings are padded with NULs to `length` registers.
 */
export function encodeValue(value: number | string, dataType: DataType, order: WordOrder, length = 1): number[] {
  if (dataType === 'string') {
    const bytes = new Uint8Array(length * 2);
    const text = String(value);
    for (let index = 0; index < Math.min(text.length, bytes.length); index++) bytes[index] = text.charCodeAt(index) & 0xff;
    return fromBigEndianBytes(bytes, order, true);
  }
  const number = Number(value);
  if (dataType === 'bool' || dataType === 'bit') return [number ? 1 : 0];
  const bytes = new Uint8Array(registerCount(dataType) * 2);
  const view = new DataView(bytes.buffer);
  const integer = Math.round(number);
  const check = (min: number, max: number) => {
    if (!Number.isFinite(number) || integer < min || integer > max) {
      throw new RangeError(`${value} does not fit ${dataType} (${min} to ${max})`);
    }
  };
  switch (dataType) {
    case 'int16': check(-0x8000, 0x7fff); view.setInt16(0, integer); break;
    case 'uint16': check(0, 0xffff); view.setUint16(0, integer); break;
    case 'int32': check(-0x80000000, 0x7fffffff); view.setInt32(0, integer); break;
    case 'uint32': check(0, 0xffffffff); view.setUint32(0, integer); break;
    case 'float32': view.setFloat32(0, number); break;
    case 'int64': check(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER); view.setBigInt64(0, BigInt(integer)); break;
    case 'uint64': check(0, Number.MAX_SAFE_INTEGER); view.setBigUint64(0, BigInt(integer)); break;
    case 'float64': view.setFloat64(0, number); break;
  }
  return fromBigEndianBytes(bytes, order, false);
}

/** Raw value to engineering units: raw × scale + offset. */
export function toEngineering(raw: number, scale: number, offset: number): number {
  return raw * scale + offset;
}
