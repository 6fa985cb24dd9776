// The register codec against the word orders and data types real devices use: round-trips as
// properties over the whole value space, and known vectors copied from device manuals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WORD_ORDERS, type DataType, type WordOrder } from '../domain/devices.ts';
import { decodeRegisters, encodeValue, registerCount, toEngineering } from './registers.ts';

const anyOrder = fc.constantFrom(...WORD_ORDERS);

const INTEGER_RANGES: readonly [DataType, number, number][] = [
  ['int16', -0x8000, 0x7fff],
  ['uint16', 0, 0xffff],
  ['int32', -0x80000000, 0x7fffffff],
  ['uint32', 0, 0xffffffff],
  ['int64', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ['uint64', 0, Number.MAX_SAFE_INTEGER],
];

const isRegister = (word: number) => Number.isInteger(word) && word >= 0 && word <= 0xffff;
const swapBytes = (word: number) => ((word & 0xff) << 8) | (word >> 8);

describe('integer types', () => {
  for (const [dataType, min, max] of INTEGER_RANGES) {
    it(`${dataType}: every value in range survives encode → decode in every word order`, () => {
      fc.assert(
        fc.property(fc.integer({ min, max }), anyOrder, (value, order) => {
          const registers = encodeValue(value, dataType, order);
          expect(registers).toHaveLength(registerCount(dataType));
          expect(registers.every(isRegister)).toBe(true);
          expect(decodeRegisters(registers, dataType, order)).toBe(value);
        }),
      );
    });

    it(`${dataType}: the range ends themselves round-trip`, () => {
      for (const order of WORD_ORDERS) {
        expect(decodeRegisters(encodeValue(min, dataType, order), dataType, order)).toBe(min);
        expect(decodeRegisters(encodeValue(max, dataType, order), dataType, order)).toBe(max);
      }
    });

    it(`${dataType}: a value outside the range is refused with a RangeError, never wrapped`, () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.integer({ min: 1, max: 1e6 }).map((excess) => max + excess), fc.integer({ min: 1, max: 1e6 }).map((excess) => min - excess)),
          anyOrder,
          (value, order) => {
            expect(() => encodeValue(value, dataType, order)).toThrow(RangeError);
          },
        ),
      );
    });

    it(`${dataType}: NaN and infinities are refused`, () => {
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        expect(() => encodeValue(value, dataType, 'ABCD')).toThrow(RangeError);
      }
    });
  }

  it('fractions are rounded to the nearest integer, and rounding past the end of the range is refused', () => {
    expect(decodeRegisters(encodeValue(12.4, 'int16', 'ABCD'), 'int16', 'ABCD')).toBe(12);
    expect(decodeRegisters(encodeValue(-12.6, 'int16', 'ABCD'), 'int16', 'ABCD')).toBe(-13);
    expect(decodeRegisters(encodeValue('300', 'uint16', 'ABCD'), 'uint16', 'ABCD')).toBe(300);
    expect(() => encodeValue(32767.5, 'int16', 'ABCD')).toThrow(RangeError);
    expect(() => encodeValue(-0.6, 'uint16', 'ABCD')).toThrow(RangeError);
  });
});

describe('floating point types', () => {
  it('float32: every float32 value (NaN included) round-trips in every word order', () => {
    fc.assert(
      fc.property(fc.float(), anyOrder, (value, order) => {
        const registers = encodeValue(value, 'float32', order);
        expect(registers).toHaveLength(2);
        expect(registers.every(isRegister)).toBe(true);
        const decoded = decodeRegisters(registers, 'float32', order);
        if (Number.isNaN(value)) expect(decoded).toBeNaN();
        else expect(Object.is(decoded, value)).toBe(true);
      }),
    );
  });

  it('float32: any double is stored as its nearest float32 (Math.fround)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), anyOrder, (value, order) => {
        expect(decodeRegisters(encodeValue(value, 'float32', order), 'float32', order)).toBe(Math.fround(value));
      }),
    );
  });

  it('float64: every double (NaN, infinities and -0 included) round-trips exactly in every word order', () => {
    fc.assert(
      fc.property(fc.double(), anyOrder, (value, order) => {
        const registers = encodeValue(value, 'float64', order);
        expect(registers).toHaveLength(4);
        expect(registers.every(isRegister)).toBe(true);
        const decoded = decodeRegisters(registers, 'float64', order);
        if (Number.isNaN(value)) expect(decoded).toBeNaN();
        else expect(Object.is(decoded, value)).toBe(true);
      }),
    );
  });
});

describe('word orders relate to each other as the manuals describe', () => {
  const multiWordTypes: DataType[] = ['int32', 'uint32', 'float32', 'int64', 'uint64', 'float64'];
  const valueFor = (dataType: DataType) =>
    dataType === 'float32' || dataType === 'float64'
      ? fc.double({ noNaN: true })
      : fc.integer({
          min: INTEGER_RANGES.find(([type]) => type === dataType)![1],
          max: INTEGER_RANGES.find(([type]) => type === dataType)![2],
        });

  for (const dataType of multiWordTypes) {
    it(`${dataType}: CDAB reverses the words of ABCD, BADC swaps the bytes of each word, DCBA does both`, () => {
      fc.assert(
        fc.property(valueFor(dataType), (value) => {
          const abcd = encodeValue(value, dataType, 'ABCD');
          expect(encodeValue(value, dataType, 'CDAB')).toEqual([...abcd].reverse());
          expect(encodeValue(value, dataType, 'BADC')).toEqual(abcd.map(swapBytes));
          expect(encodeValue(value, dataType, 'DCBA')).toEqual([...abcd].reverse().map(swapBytes));
        }),
      );
    });
  }

  it('16-bit values: word swapping has nothing to swap, byte swapping does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (value) => {
        expect(encodeValue(value, 'uint16', 'CDAB')).toEqual([value]);
        expect(encodeValue(value, 'uint16', 'BADC')).toEqual([swapBytes(value)]);
        expect(encodeValue(value, 'uint16', 'DCBA')).toEqual([swapBytes(value)]);
      }),
    );
  });
});

describe('known vectors from device manuals', () => {
  it('float32 10.0 is 0x4120 0x0000; a CDAB meter sends [0x0000, 0x4120]', () => {
    expect(encodeValue(10, 'float32', 'ABCD')).toEqual([0x4120, 0x0000]);
    expect(encodeValue(10, 'float32', 'CDAB')).toEqual([0x0000, 0x4120]);
    expect(decodeRegisters([0x4120, 0x0000], 'float32', 'ABCD')).toBe(10);
    expect(decodeRegisters([0x0000, 0x4120], 'float32', 'CDAB')).toBe(10);
  });

  it('float32 230.5 V (0x4366 0x8000) as an Acrel/Chint meter in CDAB sends it', () => {
    expect(decodeRegisters([0x8000, 0x4366], 'float32', 'CDAB')).toBe(230.5);
    expect(decodeRegisters([0x4366, 0x8000], 'float32', 'ABCD')).toBe(230.5);
  });

  it('int32 -2 is [0xFFFF, 0xFFFE] in ABCD', () => {
    expect(encodeValue(-2, 'int32', 'ABCD')).toEqual([0xffff, 0xfffe]);
    expect(decodeRegisters([0xffff, 0xfffe], 'int32', 'ABCD')).toBe(-2);
    expect(decodeRegisters([0xfffe, 0xffff], 'int32', 'CDAB')).toBe(-2);
  });

  it('uint32 0x12345678 in all four orders', () => {
    const expected: Record<WordOrder, number[]> = {
      ABCD: [0x1234, 0x5678],
      CDAB: [0x5678, 0x1234],
      BADC: [0x3412, 0x7856],
      DCBA: [0x7856, 0x3412],
    };
    for (const order of WORD_ORDERS) {
      expect(encodeValue(0x12345678, 'uint32', order)).toEqual(expected[order]);
      expect(decodeRegisters(expected[order], 'uint32', order)).toBe(0x12345678);
    }
  });

  it('int16 -1 is 0xFFFF and uint16 reads the same register as 65535', () => {
    expect(encodeValue(-1, 'int16', 'ABCD')).toEqual([0xffff]);
    expect(decodeRegisters([0xffff], 'uint16', 'ABCD')).toBe(65535);
    expect(decodeRegisters([0x8000], 'int16', 'ABCD')).toBe(-32768);
  });

  it('float64 1.0 is 0x3FF0 0x0000 0x0000 0x0000 in ABCD and reversed words in CDAB', () => {
    expect(encodeValue(1, 'float64', 'ABCD')).toEqual([0x3ff0, 0, 0, 0]);
    expect(encodeValue(1, 'float64', 'CDAB')).toEqual([0, 0, 0, 0x3ff0]);
    expect(decodeRegisters([0, 0, 0, 0x3ff0], 'float64', 'CDAB')).toBe(1);
  });

  it('uint64 energy counter 0x0000_0001_0000_0000 is 2^32', () => {
    expect(decodeRegisters([0x0000, 0x0001, 0x0000, 0x0000], 'uint64', 'ABCD')).toBe(2 ** 32);
    expect(decodeRegisters([0x0000, 0x0000, 0x0001, 0x0000], 'uint64', 'CDAB')).toBe(2 ** 32);
    expect(decodeRegisters([0xffff, 0xffff, 0xffff, 0xffff], 'int64', 'ABCD')).toBe(-1);
  });
});

describe('bits and booleans', () => {
  it('bit n of a register is the nth least significant bit, whatever the word order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 15 }), anyOrder, (register, bit, order) => {
        expect(decodeRegisters([register], 'bit', order, bit)).toBe((register >> bit) & 1);
      }),
    );
  });

  it('a status word 0b1010 has bits 1 and 3 set, bits 0 and 2 clear', () => {
    expect([0, 1, 2, 3].map((bit) => decodeRegisters([0b1010], 'bit', 'ABCD', bit))).toEqual([0, 1, 0, 1]);
    expect(decodeRegisters([0x8000], 'bit', 'ABCD', 15)).toBe(1);
  });

  it('bool is 1 for any non-zero register and 0 for zero; it encodes as 1 or 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (register) => {
        expect(decodeRegisters([register], 'bool', 'ABCD')).toBe(register === 0 ? 0 : 1);
      }),
    );
    expect(encodeValue(5, 'bool', 'ABCD')).toEqual([1]);
    expect(encodeValue(0, 'bool', 'ABCD')).toEqual([0]);
    expect(encodeValue(7, 'bit', 'ABCD')).toEqual([1]);
  });
});

describe('strings', () => {
  const printable = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));

  it('two ASCII characters per register, first character in the high byte, NUL padded', () => {
    expect(encodeValue('AB', 'string', 'ABCD', 2)).toEqual([0x4142, 0x0000]);
    expect(encodeValue('ABC', 'string', 'ABCD', 2)).toEqual([0x4142, 0x4300]);
    expect(decodeRegisters([0x4142, 0x4300], 'string', 'ABCD')).toBe('ABC');
    expect(decodeRegisters([0x4142, 0x0000, 0x4344], 'string', 'ABCD')).toBe('AB');
  });

  it('byte-swapping devices (BADC, DCBA) put the first character in the low byte; words keep their order', () => {
    expect(encodeValue('ABCD', 'string', 'BADC', 2)).toEqual([0x4241, 0x4443]);
    expect(encodeValue('ABCD', 'string', 'DCBA', 2)).toEqual([0x4241, 0x4443]);
    expect(encodeValue('ABCD', 'string', 'CDAB', 2)).toEqual([0x4142, 0x4344]);
    expect(decodeRegisters([0x4241, 0x4443], 'string', 'BADC')).toBe('ABCD');
  });

  it('a text longer than its registers is cut to fit', () => {
    expect(encodeValue('ABCDE', 'string', 'ABCD', 2)).toEqual([0x4142, 0x4344]);
  });

  it('any printable ASCII text that fits round-trips in every order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), anyOrder, fc.string({ unit: printable, maxLength: 40 }), (length, order, text) => {
        const fitting = text.slice(0, length * 2);
        const registers = encodeValue(fitting, 'string', order, length);
        expect(registers).toHaveLength(length);
        expect(registers.every(isRegister)).toBe(true);
        expect(decodeRegisters(registers, 'string', order)).toBe(fitting);
      }),
    );
  });

  it('registerCount of a string is its length in registers', () => {
    expect(registerCount('string', 8)).toBe(8);
  });
});

describe('register counts and short reads', () => {
  it('each type occupies the registers its manual says', () => {
    const expected: Record<Exclude<DataType, 'string'>, number> = {
      bool: 1, bit: 1, int16: 1, uint16: 1, int32: 2, uint32: 2, float32: 2, int64: 4, uint64: 4, float64: 4,
    };
    for (const [dataType, count] of Object.entries(expected)) expect(registerCount(dataType as DataType)).toBe(count);
  });

  it('too few registers for the type is a RangeError naming the type, never a made-up value', () => {
    const fixed: DataType[] = ['bool', 'bit', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64'];
    fc.assert(
      fc.property(fc.constantFrom(...fixed), anyOrder, fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 3 }), (dataType, order, registers) => {
        fc.pre(registers.length < registerCount(dataType));
        expect(() => decodeRegisters(registers, dataType, order)).toThrow(RangeError);
        expect(() => decodeRegisters(registers, dataType, order)).toThrow(dataType);
      }),
    );
  });

  it('extra registers after the value are ignored', () => {
    expect(decodeRegisters([0x4120, 0x0000, 0xdead], 'float32', 'ABCD')).toBe(10);
  });

  it('engineering value is raw × scale + offset (e.g. 0.1 °C per count)', () => {
    expect(toEngineering(2215, 0.1, 0)).toBeCloseTo(221.5, 10);
    expect(toEngineering(100, 2, -40)).toBe(160);
  });
});
