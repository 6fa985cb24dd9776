import { describe, expect, it } from 'vitest';
import { deviceAddress } from './device-address.ts';

describe('device address', () => {
  it('writes network devices as host:port', () => {
    expect(deviceAddress({ kind: 'tcp', host: '192.168.1.20', port: 502 })).toEqual({ kind: 'tcp', address: '192.168.1.20:502' });
    expect(deviceAddress({ kind: 'rtuOverTcp', host: 'fe80::1', port: 4001 }).address).toBe('[fe80::1]:4001');
  });

  it('writes serial devices as their port with the baud rate', () => {
    expect(
      deviceAddress({ kind: 'rtu', path: 'COM3', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }),
    ).toEqual({ kind: 'rtu', address: 'COM3', baudRate: 9600 });
  });
});
