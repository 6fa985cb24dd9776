import { describe, expect, it } from 'vitest';
import { base64FromDataUrl, base64ToBytes, bytesToBase64, isMapFileName, summariseCheck } from './map-files.ts';
import { formatRaw } from './raw-hex.ts';

describe('register map files', () => {
  it('takes the base64 out of a data URL', () => {
    expect(base64FromDataUrl('data:text/csv;base64,bmFtZQ==')).toBe('bmFtZQ==');
    expect(base64FromDataUrl('data:;base64,')).toBe('');
  });

  it('round-trips bytes through base64, UTF-8 Chinese and large files included', () => {
    const text = new TextEncoder().encode('\uFEFFname,address\n主轴转速,40002\n');
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(base64ToBytes(bytesToBase64(text)))).toBe('\uFEFFname,address\n主轴转速,40002\n');
    const large = new Uint8Array(200_000).map((_, index) => index % 251);
    expect(base64ToBytes(bytesToBase64(large))).toEqual(large);
    expect(bytesToBase64(new TextEncoder().encode('name'))).toBe('bmFtZQ==');
  });

  it('accepts CSV and Excel files only', () => {
    expect(isMapFileName('map.CSV')).toBe(true);
    expect(isMapFileName('CNC-1 register map.xlsx')).toBe(true);
    expect(isMapFileName('map.xls')).toBe(false);
  });

  it('summarises a check', () => {
    const problem = (row: number, severity: 'error' | 'warning' = 'error') => ({ row, column: 'address', message: 'bad', severity });
    expect(summariseCheck({ points: [1, 2, 3], problems: [] })).toEqual({ goodRows: 3, problems: 0, badRows: 0, clean: true });
    expect(summariseCheck({ points: [1, 2], problems: [problem(3), problem(3), problem(5)] })).toEqual({ goodRows: 2, problems: 3, badRows: 2, clean: false });
    expect(summariseCheck({ points: [], problems: [] }).clean).toBe(false);
    // An ignored column is a warning: it is listed, but the file may still be imported whole.
    expect(summariseCheck({ points: [1, 2], problems: [problem(1, 'warning')] })).toEqual({ goodRows: 2, problems: 0, badRows: 0, clean: true });
  });
});

describe('raw registers', () => {
  it('shows registers as four hex digits and bits as 0/1', () => {
    expect(formatRaw([0x41c8, 0], 'holding')).toBe('41C8 0000');
    expect(formatRaw([1480], 'input')).toBe('05C8');
    expect(formatRaw([1, 0], 'coil')).toBe('1 0');
    expect(formatRaw(null, 'holding')).toBe('');
  });
});
