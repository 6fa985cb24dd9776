// Where a device is, as a technician writes it: "192.168.1.20:502", or the serial port.
import type { Connection } from '../../../../shared/domain/devices.ts';

/**
 * @example networkAddress({ kind: 'tcp', host: '192.168.1.20', port: 502 }) // → '192.168.1.20:502'
 * @example networkAddress({ kind: 'tcp', host: 'fe80::1', port: 502 })      // → '[fe80::1]:502'
 */
export function networkAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The address part that does not need translating; serial ports come with their baud rate. */
export function deviceAddress(connection: Connection): { kind: Connection['kind']; address: string; baudRate?: number } {
  if (connection.kind === 'rtu') return { kind: 'rtu', address: connection.path, baudRate: connection.baudRate };
  return { kind: connection.kind, address: networkAddress(connection.host, connection.port) };
}
