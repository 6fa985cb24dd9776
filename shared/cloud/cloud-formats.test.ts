import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  base64urlDecode,
  base64urlEncode,
  canonicalJson,
  checkSignedDocument,
  encodeDocumentPayload,
  formatSignedDocument,
  hexDecode,
  hexEncode,
  isSafePackagePath,
  parseSignedDocument,
  PricePlanSchema,
  utf8Decode,
  utf8Encode,
} from './index.ts';

describe('encodings', () => {
  it('round-trip any bytes through base64url and hex, and any string through UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64urlDecode(base64urlEncode(bytes))).toEqual(bytes);
        expect(hexDecode(hexEncode(bytes))).toEqual(bytes);
        expect(base64urlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(Buffer.from(utf8Encode(text))).toEqual(Buffer.from(text, 'utf8'));
        expect(utf8Decode(utf8Encode(text))).toBe(text);
      }),
    );
  });

  it('refuses what is not base64url or UTF-8, so each byte string has one encoding', () => {
    expect(base64urlDecode('ab+c')).toBeUndefined();
    expect(base64urlDecode('AB==')).toBeUndefined();
    expect(base64urlDecode('AA')).toEqual(Uint8Array.from([0]));
    expect(base64urlDecode('AB')).toBeUndefined();
    expect(base64urlDecode('AF')).toBeUndefined();
    expect(utf8Decode(Uint8Array.from([0xc0, 0x80]))).toBeUndefined();
    expect(utf8Decode(Uint8Array.from([0xed, 0xa0, 0x80]))).toBeUndefined();
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }], e: undefined, 中: true })).toBe('{"a":[{"c":null,"d":"x"}],"b":1,"中":true}');
  });
  it('is the same for objects built in any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/\$\.a is not a finite number/);
    expect(() => canonicalJson(new Date(0))).toThrow(/plain object/);
  });
});

describe('signed documents', () => {
  const Payload = z.strictObject({ keyId: z.string(), n: z.number() });
  const payload = encodeDocumentPayload({ keyId: 'k1', n: 1 });
  const line = formatSignedDocument('licence', payload, new Uint8Array(64).fill(7));
  const goodSignature = (_keyId: string, _message: Uint8Array, signature: Uint8Array): 'valid' | 'invalid' => (signature[0] === 7 ? 'valid' : 'invalid');

  it('parses its own lines and signs kind and payload together', () => {
    const parsed = parseSignedDocument(line)!;
    expect(parsed.kind).toBe('licence');
    expect(parsed.payload).toEqual({ keyId: 'k1', n: 1 });
    expect(new TextDecoder().decode(parsed.signingInput)).toBe(`licence.${payload}`);
  });

  it('keeps "cannot verify" apart from "verified bad"', () => {
    expect(checkSignedDocument(line, 'licence', Payload, goodSignature)).toEqual({ status: 'valid', payload: { keyId: 'k1', n: 1 } });
    expect(checkSignedDocument('licence.abc', 'licence', Payload, goodSignature)).toEqual({ status: 'cannot_verify', reason: 'malformed' });
    expect(checkSignedDocument(line, 'licence', Payload, () => 'unknown_key')).toEqual({ status: 'cannot_verify', reason: 'unknown_key' });
    expect(checkSignedDocument(line, 'licence', Payload, () => 'invalid')).toEqual({ status: 'bad', reason: 'signature' });
    expect(checkSignedDocument(line, 'package', Payload, goodSignature)).toEqual({ status: 'bad', reason: 'wrong_kind' });
    expect(checkSignedDocument(line, 'licence', z.strictObject({ keyId: z.string() }), goodSignature)).toEqual({ status: 'bad', reason: 'content' });
  });
});

describe('package paths and plans', () => {
  it('accepts plain relative paths only', () => {
    for (const good of ['manifest.json', 'dashboards/cnc.json', 'screenshots/看板.png']) expect(isSafePackagePath(good), good).toBe(true);
    for (const bad of ['', '/etc/passwd', '../x', 'a/../b', 'a\\b', 'C:/x', 'a//b', 'dir/', 'con.json', 'a/nul', 'x.', './a']) expect(isSafePackagePath(bad), bad).toBe(false);
  });
  it('checks plans by kind', () => {
    const name = { 'zh-CN': '月付', en: 'Monthly' };
    expect(PricePlanSchema.safeParse({ id: 'm', name, kind: 'subscription', currency: 'CNY', monthly: 9900 }).success).toBe(true);
    expect(PricePlanSchema.safeParse({ id: 'm', name, kind: 'subscription', currency: 'CNY' }).success).toBe(false);
    expect(PricePlanSchema.safeParse({ id: 'r', name, kind: 'pay_for_results', currency: 'CNY', metric: 'energy-saved', unitValue: { amount: 80, per: 1000 }, shareBasisPoints: 2500 }).success).toBe(true);
  });
});
