// Devices that answer wrongly: garbage, the wrong transaction id, the wrong unit or function, a
// truncated frame, a frame that never ends. Each must end in an error a technician can read, the
// core must not crash, and the link must serve the next (good) answer.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, translate } from '../../shared/index.ts';
import { silentLogger } from '../host.ts';
import { readBlock } from './device-poller.ts';
import { ModbusLink } from './modbus-link.ts';

type Answer = (request: Buffer) => Buffer | null;

/** A good FC3 reply to an MBAP request: `count` registers holding 7. */
function goodReply(request: Buffer): Buffer {
  const count = request.readUInt16BE(10);
  const reply = Buffer.alloc(9 + count * 2);
  request.copy(reply, 0, 0, 4);
  reply.writeUInt16BE(3 + count * 2, 4);
  reply[6] = request[6]!;
  reply[7] = 3;
  reply[8] = count * 2;
  for (let index = 0; index < count; index++) reply.writeUInt16BE(7, 9 + index * 2);
  return reply;
}

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A peer whose first answer is `bad`, and every later answer good. */
async function peer(bad: Answer): Promise<number> {
  let answered = 0;
  const server = net.createServer((socket) => {
    socket.on('data', (request) => {
      const reply = answered++ === 0 ? bad(request) : goodReply(request);
      if (reply) socket.write(reply);
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const cases: [string, Answer][] = [
  ['garbage', () => Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')],
  ['the wrong transaction id', (request) => {
    const reply = goodReply(request);
    reply.writeUInt16BE((request.readUInt16BE(0) + 7) & 0xffff, 0);
    return reply;
  }],
  ['the wrong unit id', (request) => {
    const reply = goodReply(request);
    reply[6] = (request[6]! + 1) & 0xff;
    return reply;
  }],
  ['the wrong function code', (request) => {
    const reply = goodReply(request);
    reply[7] = 4;
    return reply;
  }],
  ['a byte count that disagrees with the frame', (request) => {
    const reply = goodReply(request);
    reply[8] = 2;
    return reply;
  }],
  ['a frame whose length field promises more than comes', (request) => goodReply(request).subarray(0, 9)],
  ['nothing at all', () => null],
];

describe('a device that answers wrongly', () => {
  for (const [what, bad] of cases) {
    it(`gets a readable error for ${what}, and the next good answer is read`, async () => {
      const port = await peer(bad);
      const link = new ModbusLink({ kind: 'tcp', host: '127.0.0.1', port }, silentLogger, { minBackoffMs: 10, maxBackoffMs: 50 });
      const label = { device: 'Press-7', address: `127.0.0.1:${port}`, timeoutMs: 300 };
      const block = { function: 'holding' as const, start: 0, count: 4, points: [] };
      const read = () => link.request(1, label, (client) => readBlock(client, block));
      try {
        const outcome = await read().then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        if ('error' in outcome) {
          expect(outcome.error).toBeInstanceOf(AppError);
          const error = outcome.error as AppError;
          expect(['timeout', 'device_error']).toContain(error.code);
          const message = translate('en', error.key, error.params);
          expect(message).toContain('Press-7');
          expect(message).not.toMatch(/undefined|\[object/);
        } else {
          // A wrong reply must never be passed off as the device's data.
          expect(outcome.value).toEqual([7, 7, 7, 7]);
        }
        // The link recovers: the next request gets the good answer (reconnecting if it had to).
        let next: (number | boolean)[] | undefined;
        for (let attempt = 0; attempt < 10 && !next; attempt++) next = await read().catch(() => undefined);
        expect(next).toEqual([7, 7, 7, 7]);
      } finally {
        link.close();
      }
    });
  }
});
