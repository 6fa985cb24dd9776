import { describe, expect, it } from 'vitest';
import { parseWriteValue } from './write-value.ts';

const uint16 = { dataType: 'uint16', scale: 1, offset: 0 } as const;

describe('write values', () => {
  it('accepts a number that fits the register', () => {
    expect(parseWriteValue('80', uint16)).toEqual({ ok: true, value: 80 });
    expect(parseWriteValue(' 12,5 ', { dataType: 'float32', scale: 1, offset: 0 })).toEqual({ ok: true, value: 12.5 });
  });

  it('refuses what the register cannot hold, in engineering units', () => {
    expect(parseWriteValue('70000', uint16)).toEqual({ ok: false, error: { key: 'form.range', params: { min: 0, max: 65535 } } });
    expect(parseWriteValue('-1', { dataType: 'uint16', scale: 0.1, offset: 0 })).toEqual({ ok: false, error: { key: 'form.range', params: { min: 0, max: 6553.5 } } });
    expect(parseWriteValue('80.5', uint16)).toEqual({ ok: false, error: { key: 'write.resolution', params: { step: 1 } } });
    expect(parseWriteValue('21.55', { dataType: 'int16', scale: 0.1, offset: 0 })).toMatchObject({ ok: false, error: { key: 'write.resolution', params: { step: 0.1 } } });
    expect(parseWriteValue('21.5', { dataType: 'int16', scale: 0.1, offset: 0 })).toEqual({ ok: true, value: 21.5 });
    expect(parseWriteValue('', uint16)).toEqual({ ok: false, error: { key: 'form.required' } });
    expect(parseWriteValue('abc', uint16)).toEqual({ ok: false, error: { key: 'form.number' } });
  });

  it('writes bits and coils as 1 or 0, strings as text', () => {
    expect(parseWriteValue('1', { dataType: 'bool', scale: 1, offset: 0 })).toEqual({ ok: true, value: 1 });
    expect(parseWriteValue('', { dataType: 'bit', scale: 1, offset: 0 })).toEqual({ ok: false, error: { key: 'write.pickOnOff' } });
    expect(parseWriteValue('AUTO', { dataType: 'string', scale: 1, offset: 0, length: 2 })).toEqual({ ok: true, value: 'AUTO' });
    expect(parseWriteValue('TOO LONG', { dataType: 'string', scale: 1, offset: 0, length: 2 })).toMatchObject({ ok: false });
  });
});
