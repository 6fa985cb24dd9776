import { describe, expect, it } from 'vitest';
import { DeviceSchema, type Device } from '../../../../shared/domain/devices.ts';
import { deviceToForm, formToCheckedConnection, formToDevice, newDeviceForm, newDeviceId } from './device-form.ts';

const rtuDevice: Device = DeviceSchema.parse({
  id: 'meter-7',
  name: 'Meter 7',
  connection: { kind: 'rtu', path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even', dataBits: 8, stopBits: 1 },
  unitId: 7,
  timeoutMs: 500,
  retries: 2,
  maxGap: 4,
  writeFunction: 'multiple',
});

describe('device form', () => {
  it('round-trips a saved device', () => {
    const result = formToDevice(deviceToForm(rtuDevice), ['meter-7']);
    expect(result).toMatchObject({ ok: true, value: rtuDevice });
  });

  it('builds a new Modbus TCP device with the contract defaults and an id from its name', () => {
    const result = formToDevice({ ...newDeviceForm(), name: ' Press line 2 ', host: '192.168.1.20' }, ['press-line-2']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      id: 'press-line-2-2',
      name: 'Press line 2',
      connection: { kind: 'tcp', host: '192.168.1.20', port: 502 },
      unitId: 1,
      timeoutMs: 1000,
      retries: 1,
      mergeReads: true,
      maxRegistersPerRead: 125,
    });
  });

  it('reports each bad field with a message key, ranges taken from the schema', () => {
    const result = formToDevice(
      { ...newDeviceForm(), name: '', host: '', port: '70000', unitId: '1.5', timeoutMs: 'abc', retries: '9' },
      [],
    );
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual({
      name: { key: 'form.required' },
      'connection.host': { key: 'form.required' },
      'connection.port': { key: 'form.range', params: { min: 1, max: 65535 } },
      unitId: { key: 'form.wholeRange', params: { min: 0, max: 255 } },
      timeoutMs: { key: 'form.number' },
      retries: { key: 'form.range', params: { min: 0, max: 5 } },
    });
  });

  it('checks serial settings', () => {
    const result = formToDevice({ ...newDeviceForm(), name: 'x', kind: 'rtu', path: '', baudRate: '100' }, []);
    expect(result.errors['connection.path']).toEqual({ key: 'form.required' });
    expect(result.errors['connection.baudRate']).toEqual({ key: 'form.range', params: { min: 300, max: 921600 } });
  });

  it('checks only the connection for a unit-id scan', () => {
    expect(formToCheckedConnection({ ...newDeviceForm(), host: '10.0.0.9', port: '1502' })).toMatchObject({
      ok: true,
      value: { kind: 'tcp', host: '10.0.0.9', port: 1502 },
    });
    expect(formToCheckedConnection({ ...newDeviceForm(), host: '' }).errors).toEqual({ 'connection.host': { key: 'form.required' } });
  });
});

describe('new device ids', () => {
  it('makes a readable id from a Latin name', () => {
    expect(newDeviceId('CNC-2 Mazak', [])).toBe('cnc-2-mazak');
    expect(newDeviceId('Café ovens', [])).toBe('cafe-ovens');
  });

  it('numbers names in other scripts and never repeats a taken id', () => {
    expect(newDeviceId('二号注塑机', [])).toBe('device-1');
    expect(newDeviceId('二号注塑机', ['device-1', 'device-2'])).toBe('device-3');
    expect(newDeviceId('Oven', ['oven'])).toBe('oven-2');
  });
});
