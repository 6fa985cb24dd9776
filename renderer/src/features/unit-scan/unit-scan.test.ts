import { describe, expect, it } from 'vitest';
import type { ScanProgress } from '../../../../shared/contract/device-calls.ts';
import { newDeviceForm, pickConnection } from '../device-editor/device-form.ts';
import { laterProgress, scanPercent, scanRequest, type ScanForm } from './unit-scan.ts';

const form = (overrides: Partial<ScanForm> = {}): ScanForm => ({
  connection: { ...pickConnection(newDeviceForm()), host: '127.0.0.1', port: '1502' },
  fromUnit: '1',
  toUnit: '5',
  timeoutMs: '200',
  probeFunction: 'holding',
  probeAddress: '0',
  baudRates: [9600],
  ...overrides,
});

describe('unit-id scan request', () => {
  it('builds a TCP scan without baud rates', () => {
    expect(scanRequest(form())).toEqual({
      ok: true,
      request: { connection: { kind: 'tcp', host: '127.0.0.1', port: 1502 }, fromUnit: 1, toUnit: 5, timeoutMs: 200, probe: { function: 'holding', address: 0 } },
    });
  });

  it('tries the ticked baud rates on a serial port, slowest first', () => {
    const serial = form({ connection: { ...form().connection, kind: 'rtu', path: 'COM3' }, baudRates: [115200, 9600] });
    const result = scanRequest(serial);
    expect(result.ok && result.request.baudRates).toEqual([9600, 115200]);
    expect(scanRequest({ ...serial, baudRates: [] })).toMatchObject({ ok: false, errors: { baudRates: { key: 'scan.pickBaudRate' } } });
  });

  it('reports bad fields', () => {
    const result = scanRequest(form({ fromUnit: '9', toUnit: '3', timeoutMs: '10', connection: { ...form().connection, host: '' } }));
    expect(result).toEqual({
      ok: false,
      errors: {
        'connection.host': { key: 'form.required' },
        toUnit: { key: 'scan.toBeforeFrom' },
        timeoutMs: { key: 'form.wholeRange', params: { min: 50, max: 5000 } },
      },
    });
  });
});

describe('scan progress', () => {
  const progress = (done: number, finished = false): ScanProgress => ({ scanId: 's', done, total: 10, found: [], finished, error: null });

  it('keeps the furthest report and the final one', () => {
    expect(laterProgress(progress(8), progress(4)).done).toBe(8);
    expect(laterProgress(progress(8, true), progress(9)).finished).toBe(true);
    expect(laterProgress(progress(4), progress(4, true)).finished).toBe(true);
    expect(laterProgress(undefined, progress(2)).done).toBe(2);
  });

  it('says how far it is', () => {
    expect(scanPercent(progress(3))).toBe(30);
    expect(scanPercent(undefined)).toBe(0);
    expect(scanPercent({ done: 0, total: 0 })).toBe(0);
  });
});
