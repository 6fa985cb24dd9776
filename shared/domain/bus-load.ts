// How much of a serial bus the configured scans need. A Modbus RTU character is 1 start bit, the data
// bits, an optional parity bit and the stop bits; frames are separated by 3.5 characters of silence,
// and the device needs time to turn a request around. A bus booked over ~80 % drops scans.
export interface SerialFraming {
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export interface BusRead {
  /** Registers (or, for coils and discrete inputs, bits) read in one request. */
  count: number;
  bits: boolean;
  /** How often the read runs, in ms. */
  scanMs: number;
}

/** Seconds one character takes on the wire. */
export function characterSeconds(framing: SerialFraming): number {
  const bits = 1 + framing.dataBits + (framing.parity === 'none' ? 0 : 1) + framing.stopBits;
  return bits / framing.baudRate;
}

/** Bytes of an RTU read request and of its reply (address, function, data, CRC). */
export function readFrameBytes(count: number, bits: boolean): { request: number; response: number } {
  const dataBytes = bits ? Math.ceil(count / 8) : count * 2;
  return { request: 8, response: 5 + dataBytes };
}

/**
 * Seconds one read occupies the bus: both frames, the silences after each (at least 1.75 ms above
 * 19200 baud, as the specification fixes), and the device's turnaround.
 */
export function readSeconds(framing: SerialFraming, read: Pick<BusRead, 'count' | 'bits'>, turnaroundMs = 5): number {
  const char = characterSeconds(framing);
  const { request, response } = readFrameBytes(read.count, read.bits);
  const silence = framing.baudRate > 19_200 ? 0.00175 : 3.5 * char;
  return (request + response) * char + 2 * silence + turnaroundMs / 1000;
}

/** Share of the bus's time the reads need (1 = fully booked). */
export function busUtilisation(framing: SerialFraming, reads: readonly BusRead[], turnaroundMs = 5): number {
  return reads.reduce((sum, read) => sum + readSeconds(framing, read, turnaroundMs) / (read.scanMs / 1000), 0);
}

/** Above this share, PlantDesk warns that the bus is over-booked. */
export const BUS_WARNING_UTILISATION = 0.8;
