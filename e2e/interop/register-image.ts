// Lays out a peer's register image and the points that read it, from one list of known values: the
// registers come from the app's own encoder (shared/codec/registers.ts), and a few come from
// hand-written datasheet hex so the encoder itself is checked against something it did not produce.
import {
  encodeValue,
  registerCount,
  type DataType,
  type PointFunction,
  type PointInput,
  type WordOrder,
} from '../../shared/index.ts';
import type { RegisterImage } from './support.ts';

export type Precision = 'exact' | 'float32' | 'float64';

export interface ExpectedPoint {
  point: PointInput;
  /** The engineering value the core must show. */
  expected: number | string;
  precision: Precision;
  /** The registers (or bits) the peer holds for this point. */
  raw: number[];
}

const AREA_OF: Record<PointFunction, keyof Required<RegisterImage>> = {
  holding: 'holding',
  input: 'input',
  coil: 'coils',
  discrete: 'discrete',
};

export class ImageBuilder {
  readonly #areas: Record<keyof Required<RegisterImage>, number[]> = { holding: [], input: [], coils: [], discrete: [] };
  readonly points: ExpectedPoint[] = [];
  readonly #deviceId: string;
  readonly #scanMs: number;

  constructor(deviceId: string, scanMs = 1000) {
    this.#deviceId = deviceId;
    this.#scanMs = scanMs;
  }

  /** The image for the peer script (areas as lists from address 0). */
  get image(): Required<RegisterImage> {
    return { holding: [...this.#areas.holding], input: [...this.#areas.input], coils: [...this.#areas.coils], discrete: [...this.#areas.discrete] };
  }

  /** The number of addresses an area holds (the first unmapped address after it). */
  size(fn: PointFunction): number {
    return this.#areas[AREA_OF[fn]].length;
  }

  /** Leaves `count` addresses of filler (zeros), e.g. to force a second read block. */
  skip(fn: PointFunction, count: number): this {
    this.#areas[AREA_OF[fn]].push(...new Array<number>(count).fill(0));
    return this;
  }

  #place(fn: PointFunction, raw: readonly number[]): number {
    const area = this.#areas[AREA_OF[fn]];
    const address = area.length;
    area.push(...raw);
    return address;
  }

  #id(name: string): string {
    return name.replace(/[^A-Za-z0-9_.-]+/g, '_');
  }

  /** A value encoded with the app's codec; `expected` is what the core must show after scale and offset. */
  value(
    fn: 'holding' | 'input',
    value: number | string,
    dataType: DataType,
    wordOrder: WordOrder,
    extra: { length?: number; scale?: number; offset?: number; name?: string } = {},
  ): ExpectedPoint {
    const raw = encodeValue(value, dataType, wordOrder, extra.length ?? 1);
    const name = extra.name ?? `${fn} ${dataType} ${wordOrder}${extra.scale !== undefined ? ' scaled' : ''}`;
    const numeric = typeof value === 'number' ? value : Number(value);
    const expected =
      dataType === 'string' ? String(value) : numeric * (extra.scale ?? 1) + (extra.offset ?? 0);
    return this.#add(fn, raw, { name, dataType, wordOrder, length: extra.length, scale: extra.scale, offset: extra.offset }, expected, precisionOf(dataType));
  }

  /** Registers written by hand (a datasheet's hex), with the value they mean. */
  literal(fn: 'holding' | 'input', raw: number[], dataType: DataType, wordOrder: WordOrder, expected: number | string, name: string): ExpectedPoint {
    const count = dataType === 'string' ? raw.length : registerCount(dataType);
    if (raw.length !== count) throw new Error(`${name}: ${dataType} needs ${count} registers`);
    return this.#add(fn, raw, { name, dataType, wordOrder, length: dataType === 'string' ? raw.length : undefined }, expected, 'exact');
  }

  /** One register holding `word`, and a 'bit' point for each of `bits`. */
  bits(fn: 'holding' | 'input', word: number, bits: readonly number[]): ExpectedPoint[] {
    const raw = encodeValue(word, 'uint16', 'ABCD');
    const address = this.#place(fn, raw);
    return bits.map((bit) =>
      this.#push(
        { name: `${fn} bit ${bit} of 0x${word.toString(16)}`, function: fn, address, dataType: 'bit', bit, wordOrder: 'ABCD' },
        (word >> bit) & 1,
        'exact',
        raw,
      ),
    );
  }

  /** Coils or discrete inputs, one 'bool' point each. */
  flags(fn: 'coil' | 'discrete', values: readonly (0 | 1)[]): ExpectedPoint[] {
    return values.map((value, index) => {
      const address = this.#place(fn, [value]);
      return this.#push({ name: `${fn} ${index}`, function: fn, address, dataType: 'bool' }, value, 'exact', [value]);
    });
  }

  #add(
    fn: 'holding' | 'input',
    raw: number[],
    fields: { name: string; dataType: DataType; wordOrder: WordOrder; length?: number; scale?: number; offset?: number },
    expected: number | string,
    precision: Precision,
  ): ExpectedPoint {
    const address = this.#place(fn, raw);
    const point: Omit<PointInput, 'id' | 'deviceId' | 'scanMs'> = { name: fields.name, function: fn, address, dataType: fields.dataType, wordOrder: fields.wordOrder };
    if (fields.length !== undefined) point.length = fields.length;
    if (fields.scale !== undefined) point.scale = fields.scale;
    if (fields.offset !== undefined) point.offset = fields.offset;
    return this.#push(point, expected, precision, raw);
  }

  #push(
    fields: Omit<PointInput, 'id' | 'deviceId' | 'scanMs'>,
    expected: number | string,
    precision: Precision,
    raw: number[],
  ): ExpectedPoint {
    const point: PointInput = { ...fields, id: this.#id(`${this.#deviceId}.${fields.name}`), deviceId: this.#deviceId, scanMs: this.#scanMs };
    const entry = { point, expected, precision, raw };
    this.points.push(entry);
    return entry;
  }
}

function precisionOf(dataType: DataType): Precision {
  return dataType === 'float32' ? 'float32' : dataType === 'float64' ? 'float64' : 'exact';
}

/** Whether the core's value is the expected one, within the precision its type carries. */
export function agrees(actual: unknown, expected: number | string, precision: Precision): boolean {
  if (typeof expected === 'string') return actual === expected;
  if (typeof actual !== 'number') return false;
  if (precision === 'exact') return actual === expected;
  const epsilon = precision === 'float32' ? 2 ** -23 : 2 ** -52;
  return Math.abs(actual - expected) <= Math.abs(expected) * epsilon;
}

/** Known values, distinct in every word order so that a wrong order cannot pass by symmetry. */
export const KNOWN_VALUES: Record<Exclude<DataType, 'bool' | 'bit' | 'string'>, readonly [number, number, number, number]> = {
  int16: [-12345, 23456, -31000, 4660],
  uint16: [54321, 1, 65535, 43981],
  int32: [-123456789, 2000000001, -2, 305419896],
  uint32: [3000000000, 4294967295, 65536, 19088743],
  float32: [3.14159, -273.15, 1.5e-7, 229.87],
  int64: [-1234567890123456, 9007199254740991, -9007199254740991, 72057594037927],
  uint64: [9007199254740991, 4294967296, 1, 281474976710655],
  float64: [Math.PI, -2.718281828459045, 6.02214076e23, 1e-300],
};
export const KNOWN_STRINGS: readonly [string, string, string, string] = ['PlantDesk-01', 'Chint DTSU666', 'S7-200 SMART', 'E5CC'];
