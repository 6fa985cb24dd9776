import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from './devices.ts';
import { ADDRESS_STYLES, formatAddress, parseAddress } from './address.ts';

describe('register addresses', () => {
  it('reads Modicon notation, five and six digits', () => {
    expect(parseAddress('40001', 'modicon')).toEqual({ ok: true, function: 'holding', address: 0 });
    expect(parseAddress('30010', 'modicon')).toEqual({ ok: true, function: 'input', address: 9 });
    expect(parseAddress('10001', 'modicon')).toEqual({ ok: true, function: 'discrete', address: 0 });
    expect(parseAddress('00017', 'modicon')).toEqual({ ok: true, function: 'coil', address: 16 });
    expect(parseAddress('465536', 'modicon')).toEqual({ ok: true, function: 'holding', address: 65535 });
    expect(parseAddress(' 4 0 0 0 1 ', 'modicon')).toEqual({ ok: true, function: 'holding', address: 0 });
  });

  it('reads one- and zero-based numbers, decimal or hex', () => {
    expect(parseAddress('1', 'oneBased', 'input')).toEqual({ ok: true, function: 'input', address: 0 });
    expect(parseAddress('0x10', 'zeroBased')).toEqual({ ok: true, function: 'holding', address: 16 });
    expect(parseAddress('65535', 'zeroBased')).toEqual({ ok: true, function: 'holding', address: 65535 });
  });

  it('explains what is wrong with a bad address', () => {
    const cases: [string, (typeof ADDRESS_STYLES)[number], RegExp][] = [
      ['', 'zeroBased', /empty/],
      ['20001', 'modicon', /start with 0, 1, 3 or 4/],
      ['4001', 'modicon', /5- or 6-digit/],
      ['40000', 'modicon', /outside 40001-465536/],
      ['0', 'oneBased', /outside 1-65536/],
      ['65536', 'zeroBased', /outside 0-65535/],
      ['12a', 'zeroBased', /not a whole number/],
      ['-3', 'oneBased', /not a whole number/],
    ];
    for (const [text, style, reason] of cases) {
      const parsed = parseAddress(text, style);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.reason, text).toMatch(reason);
    }
  });

  it('formats back to what it reads, in every style', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FUNCTIONS), fc.integer({ min: 0, max: 65535 }), fc.constantFrom(...ADDRESS_STYLES), (fn, address, style) => {
        const parsed = parseAddress(formatAddress(fn, address, style), style, fn);
        expect(parsed).toEqual({ ok: true, function: fn, address });
      }),
    );
  });
});
