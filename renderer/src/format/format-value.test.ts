import { describe, expect, it } from 'vitest';
import { decimalPlaces, decimalsFor, effectiveQuality, formatAxisNumber, formatPointValue } from './format-value.ts';

const uint16 = { dataType: 'uint16', scale: 1, offset: 0 } as const;
const tenths = { dataType: 'int16', scale: 0.1, offset: 0 } as const;
const float = { dataType: 'float32', scale: 1, offset: 0 } as const;

describe('value formatting', () => {
  it('shows integers without decimals, grouped', () => {
    expect(formatPointValue(1480, uint16, 'en')).toBe('1,480');
    expect(formatPointValue(123456, { ...uint16, dataType: 'uint32' }, 'zh-CN')).toBe('123,456');
    expect(formatPointValue(3, uint16, 'en')).toBe('3');
  });

  it('shows a scaled register with the resolution of its scale', () => {
    expect(decimalsFor(tenths, 215.3)).toBe(1);
    expect(formatPointValue(215.3, tenths, 'en')).toBe('215.3');
    expect(formatPointValue(215, tenths, 'en')).toBe('215.0');
    expect(decimalsFor({ dataType: 'uint16', scale: 0.01, offset: 0 }, 1)).toBe(2);
  });

  it('shows floats with 1 to 3 decimals by magnitude', () => {
    expect(formatPointValue(229.874, float, 'en')).toBe('229.9');
    expect(formatPointValue(50.0213, float, 'en')).toBe('50.02');
    expect(formatPointValue(0.92345, float, 'en')).toBe('0.923');
    expect(formatPointValue(-12.5, float, 'en')).toBe('-12.50');
    expect(formatPointValue(12345.678, float, 'en')).toBe('12,345.7');
  });

  it('shows very small and very large floats with four significant digits', () => {
    const float = { dataType: 'float32' as const, scale: 1, offset: 0 };
    expect(formatPointValue(1.5e-7, float, 'en')).toBe('1.500e-7');
    expect(formatPointValue(6.02214076e23, { ...float, dataType: 'float64' }, 'en')).toBe('6.022e+23');
    expect(formatPointValue(0, float, 'en')).toBe('0.000');
    expect(formatPointValue(0.0123, float, 'en')).toBe('0.012');
  });

  it('passes text through and leaves a missing value to the caller', () => {
    expect(formatPointValue('AUTO', { ...float, dataType: 'string' }, 'en')).toBe('AUTO');
    expect(formatPointValue(null, float, 'en')).toBeNull();
  });

  it('counts decimal places of scales', () => {
    expect(decimalPlaces(1)).toBe(0);
    expect(decimalPlaces(0.1)).toBe(1);
    expect(decimalPlaces(0.25)).toBe(2);
    expect(decimalPlaces(0.001)).toBe(3);
  });

  it('labels axes with as few decimals as needed', () => {
    expect(formatAxisNumber(1500, 'en')).toBe('1,500');
    expect(formatAxisNumber(0.5, 'en')).toBe('0.5');
    expect(formatAxisNumber(229.5, 'en')).toBe('229.5');
    expect(formatAxisNumber(0.30000000000000004, 'en')).toBe('0.3');
  });

  it('turns a good value stale when no newer sample came for three scans', () => {
    const now = 100_000;
    expect(effectiveQuality({ ts: now - 2000, quality: 'good' }, 1000, now)).toBe('good');
    expect(effectiveQuality({ ts: now - 6000, quality: 'good' }, 1000, now)).toBe('stale');
    expect(effectiveQuality({ ts: now - 20_000, quality: 'good' }, 10_000, now)).toBe('good');
    expect(effectiveQuality({ ts: now, quality: 'bad' }, 1000, now)).toBe('bad');
  });
});
