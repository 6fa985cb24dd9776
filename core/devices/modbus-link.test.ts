// ModbusLink against real sockets on 127.0.0.1: one request in flight per link even with several
// devices behind it, timeouts that reject instead of hanging, refused and vanished servers reported
// in words a technician understands, reconnection, and Modbus exceptions that leave the link healthy.
import net from 'node:net';
import modbusSerial from 'modbus-serial';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, type Connection } from '../../shared/index.ts';
import { RegisterImage } from '../demo/simulation.ts';
import { silentLogger } from '../host.ts';
import { freePort, waitFor } from '../test-support.ts';
import type { DeviceLabel } from './modbus-errors.ts';
import { ModbusLink, PRIORITY, type LinkOptions, type ModbusClient } from './modbus-link.ts';

const { ServerTCP } = modbusSerial;
type ModbusServer = InstanceType<typeof ServerTCP>;

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const tcp = (port: number): Connection => ({ kind: 'tcp', host: '127.0.0.1', port });

function makeLink(port: number, options: LinkOptions = {}): ModbusLink {
  const link = new ModbusLink(tcp(port), silentLogger, { random: () => 1, ...options });
  cleanups.push(() => link.close());
  return link;
}

const label = (link: ModbusLink, device: string, timeoutMs = 1000): DeviceLabel => ({ device, address: link.address, timeoutMs });
const readHolding = (address: number, count: number) => async (client: ModbusClient) =>
  (await client.readHoldingRegisters(address, count)).data;

/** Settles a promise into a value or the error it rejected with, for asserting on either. */
async function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: AppError; ms: number }> {
  const started = performance.now();
  try {
    return { value: await promise, ms: performance.now() - started };
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return { error: error as AppError, ms: performance.now() - started };
  }
}

/**
 * A minimal Modbus TCP device written on raw sockets, so a test can make it stop answering, count its
 * connections, or vanish and come back on the same port. FC3/FC4 answer register n with the value n.
 */
interface RawDevice {
  port: number;
  connections: number;
  requests: number;
  answering: boolean;
  close(): Promise<void>;
}

async function startRawDevice(port = 0): Promise<RawDevice> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    device.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 7 && received.length >= 6 + received.readUInt16BE(4)) {
        const frame = received.subarray(0, 6 + received.readUInt16BE(4));
        received = received.subarray(frame.length);
        device.requests++;
        if (!device.answering) continue;
        const [transaction, unit, fn, address, count] = [frame.readUInt16BE(0), frame[6]!, frame[7]!, frame.readUInt16BE(8), frame.readUInt16BE(10)];
        const reply = Buffer.alloc(9 + count * 2);
        reply.writeUInt16BE(transaction, 0);
        reply.writeUInt16BE(0, 2);
        reply.writeUInt16BE(3 + count * 2, 4);
        reply.writeUInt8(unit, 6);
        reply.writeUInt8(fn, 7);
        reply.writeUInt8(count * 2, 8);
        for (let index = 0; index < count; index++) reply.writeUInt16BE((address + index) & 0xffff, 9 + index * 2);
        socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, resolve);
  });
  const device: RawDevice = {
    port: (server.address() as net.AddressInfo).port,
    connections: 0,
    requests: 0,
    answering: true,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return device;
}

async function startModbusServer(vector: ConstructorParameters<typeof ServerTCP>[0]): Promise<{ server: ModbusServer; port: number }> {
  const port = await freePort();
  const server = await new Promise<ModbusServer>((resolve, reject) => {
    const created = new ServerTCP(vector, { host: '127.0.0.1', port, unitID: 255 });
    created.once('initialized', () => resolve(created));
    created.once('serverError', reject);
    created.on('socketError', () => {});
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of server.socks.keys()) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { server, port };
}

describe('one request in flight', () => {
  it('requests from two devices sharing one link never overlap on the wire, and each gets its own answer', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let served = 0;
    const units = new Set<number>();
    const { port } = await startModbusServer({
      getMultipleHoldingRegisters(address: number, length: number, unitID: number, callback: (error: Error | null, values: number[]) => void) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        units.add(unitID);
        // Answer a little later, so that a second request sent meanwhile would be seen overlapping.
        setTimeout(() => {
          inFlight--;
          served++;
          callback(null, Array.from({ length }, (_, index) => unitID * 1000 + address + index));
        }, 5);
      },
    });
    const link = makeLink(port);
    const cnc = label(link, 'CNC-1');
    const meter = label(link, 'Meter-1');

    const requests = Array.from({ length: 10 }, (_, index) => [
      link.request(1, cnc, readHolding(index, 3)).then((data) => ({ unit: 1, index, data })),
      link.request(2, meter, readHolding(index * 2, 2)).then((data) => ({ unit: 2, index, data })),
    ]).flat();
    expect(link.queueLength).toBe(20);
    const results = await Promise.all(requests);

    expect(maxInFlight).toBe(1);
    expect(served).toBe(20);
    expect(units).toEqual(new Set([1, 2]));
    for (const { unit, index, data } of results) {
      const start = unit === 1 ? index : index * 2;
      const count = unit === 1 ? 3 : 2;
      expect(data).toEqual(Array.from({ length: count }, (_, offset) => unit * 1000 + start + offset));
    }
    expect(link.queueLength).toBe(0);
  });

  it('a waiting write goes before waiting scans, and slow scans go last', async () => {
    const device = await startRawDevice();
    cleanups.push(() => device.close());
    const link = makeLink(device.port);
    const order: string[] = [];
    const tagged = (name: string, address: number) => async (client: ModbusClient) => {
      order.push(name);
      return (await client.readHoldingRegisters(address, 1)).data;
    };
    const cnc = label(link, 'CNC-1');
    const first = link.request(1, cnc, tagged('first', 0));
    const rest = [
      link.request(1, cnc, tagged('slow scan', 1), PRIORITY.slow),
      link.request(1, cnc, tagged('scan', 2)),
      link.request(1, cnc, tagged('write', 3), PRIORITY.write),
      link.request(1, cnc, tagged('alarm scan', 4), PRIORITY.alarm),
    ];
    await Promise.all([first, ...rest]);
    expect(order).toEqual(['first', 'write', 'alarm scan', 'scan', 'slow scan']);
  });
});

describe('timeouts', () => {
  it('a device that accepts the connection but never answers: each request rejects with timeout, and the link moves on', async () => {
    const device = await startRawDevice();
    cleanups.push(() => device.close());
    device.answering = false;
    const link = makeLink(device.port, { timeoutsBeforeReconnect: 10 });
    const cnc = label(link, 'CNC-1', 300);

    const single = await outcome(link.request(1, cnc, readHolding(0, 2)));
    expect(single.error?.code).toBe('timeout');
    expect(single.error?.message).toContain(`127.0.0.1:${device.port}`);
    expect(single.error?.message).toContain('CNC-1');
    expect(single.error?.message).toContain('300 ms');
    expect(single.ms).toBeGreaterThanOrEqual(250);
    expect(single.ms).toBeLessThan(1000);

    // Two queued requests each get their own timeout, one after the other; neither hangs the link.
    const started = performance.now();
    const [second, third] = await Promise.all([
      outcome(link.request(1, cnc, readHolding(0, 2))),
      outcome(link.request(1, cnc, readHolding(2, 2))),
    ]);
    expect(second.error?.code).toBe('timeout');
    expect(third.error?.code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1600);

    device.answering = true;
    await expect(link.request(1, cnc, readHolding(7, 2))).resolves.toEqual([7, 8]);
    expect(device.connections).toBe(1);
  });

  it('after timeoutsBeforeReconnect timeouts in a row the connection is reopened', async () => {
    const device = await startRawDevice();
    cleanups.push(() => device.close());
    device.answering = false;
    const link = makeLink(device.port, { timeoutsBeforeReconnect: 2 });
    const cnc = label(link, 'CNC-1', 150);
    expect((await outcome(link.request(1, cnc, readHolding(0, 1)))).error?.code).toBe('timeout');
    expect((await outcome(link.request(1, cnc, readHolding(0, 1)))).error?.code).toBe('timeout');
    expect(link.isOpen).toBe(false);

    device.answering = true;
    await expect(link.request(1, cnc, readHolding(3, 1))).resolves.toEqual([3]);
    expect(device.connections).toBe(2);
  });

  it('closing the link refuses the requests still waiting instead of leaving them hanging', async () => {
    const device = await startRawDevice();
    cleanups.push(() => device.close());
    device.answering = false;
    const link = makeLink(device.port);
    const cnc = label(link, 'CNC-1', 1000);
    const inFlight = outcome(link.request(1, cnc, readHolding(0, 1)));
    const waiting = outcome(link.request(1, cnc, readHolding(1, 1)));
    await waitFor(() => device.requests === 1, 2000, { what: 'the first request to reach the device' });
    link.close();
    const refused = await waiting;
    expect(refused.error?.code).toBe('device_error');
    expect(refused.error?.message).toContain('CNC-1');
    // Refused at once, not after the request ahead of it has timed out.
    expect(refused.ms).toBeLessThan(900);
    // The request already on the wire still ends, at the latest when its own timeout expires.
    const ended = await inFlight;
    expect(ended.error).toBeDefined();
    expect(ended.ms).toBeLessThan(2500);
    expect((await outcome(link.request(1, cnc, readHolding(0, 1)))).error?.code).toBe('device_error');
  });
});

describe('connection failures', () => {
  it('a refused port is a device_error that says "refused" and names the address and the device', async () => {
    const port = await freePort();
    const link = makeLink(port, { minBackoffMs: 60_000 });
    const first = await outcome(link.request(1, label(link, 'Meter-1'), readHolding(0, 2)));
    expect(first.error?.code).toBe('device_error');
    expect(first.error?.message).toContain('refused');
    expect(first.error?.message).toContain(`127.0.0.1:${port}`);
    expect(first.error?.message).toContain('Meter-1');
    expect(first.error?.toBody('zh-CN').message).toContain(`127.0.0.1:${port}`);
    expect(first.ms).toBeLessThan(2000);

    // During the back-off the link answers at once with the same sentence rather than hammering the port.
    const during = await outcome(link.request(1, label(link, 'Meter-1'), readHolding(0, 2)));
    expect(during.error?.key).toBe('error.deviceRefused');
    expect(during.ms).toBeLessThan(500);
  });

  it('a device that goes away and comes back on the same port is read again after reconnecting', async () => {
    const first = await startRawDevice();
    const port = first.port;
    const link = makeLink(port, { minBackoffMs: 20, maxBackoffMs: 100 });
    const cnc = label(link, 'CNC-1', 500);
    await expect(link.request(1, cnc, readHolding(10, 2))).resolves.toEqual([10, 11]);

    await first.close();
    await waitFor(() => !link.isOpen, 2000, { what: 'the link to notice the closed socket' });
    const whileAway = await outcome(link.request(1, cnc, readHolding(10, 2)));
    expect(whileAway.error?.code).toBe('device_error');
    expect(whileAway.error?.message).toContain(`127.0.0.1:${port}`);

    const second = await startRawDevice(port);
    cleanups.push(() => second.close());
    const data = await waitFor(
      () => link.request(1, cnc, readHolding(20, 3)).catch(() => undefined),
      5000,
      { what: 'a good read after the device came back', intervalMs: 25 },
    );
    expect(data).toEqual([20, 21, 22]);
    expect(second.connections).toBe(1);
    expect(link.isOpen).toBe(true);
  });
});

describe('Modbus exceptions', () => {
  it('a read beyond the register map is Illegal Data Address (2); the link stays healthy for the next read', async () => {
    const image = new RegisterImage(16);
    image.registers.set([1, 2, 3, 4], 0);
    const { server, port } = await startModbusServer({
      getHoldingRegister: (address: number) => image.read(address, 1)[0]!,
      getMultipleHoldingRegisters: (address: number, length: number) => image.read(address, length),
    });
    const link = makeLink(port);
    const cnc = label(link, 'CNC-1');

    const refused = await outcome(link.request(1, cnc, readHolding(10, 10)));
    expect(refused.error?.code).toBe('device_error');
    expect(refused.error?.key).toBe('error.deviceException');
    expect(refused.error?.details).toEqual({ exceptionCode: 2 });
    expect(refused.error?.message).toContain('Illegal Data Address');
    expect(refused.error?.message).toContain('CNC-1');
    expect(link.isOpen).toBe(true);

    await expect(link.request(1, cnc, readHolding(0, 4))).resolves.toEqual([1, 2, 3, 4]);
    expect(server.socks.size).toBe(1);
  });
});
