// A Modbus TCP peer for benchmarks that must never be the bottleneck: answers reads of holding and
// input registers (FC3/FC4) at once, on any number of connections, with values that change on every
// request (so a historian behind the client stores real changes). Runs in its own process:
//   node bench/peers/fast-modbus-peer.ts [ports]  → listens on that many ports (one per simulated
//   device, as each PLC has its own address), prints "PORT <first>" and "PORTS <all>", and serves
//   until its stdin closes.
// Test infrastructure only: the product's client never frames Modbus by hand (it uses modbus-serial).
import net from 'node:net';

let requests = 0;

function answer(frame: Buffer): Buffer {
  const transaction = frame.readUInt16BE(0);
  const unit = frame[6]!;
  const fn = frame[7]!;
  if ((fn === 3 || fn === 4) && frame.length >= 12) {
    const start = frame.readUInt16BE(8);
    const count = Math.min(125, frame.readUInt16BE(10));
    const reply = Buffer.allocUnsafe(9 + count * 2);
    reply.writeUInt16BE(transaction, 0);
    reply.writeUInt16BE(0, 2);
    reply.writeUInt16BE(3 + count * 2, 4);
    reply[6] = unit;
    reply[7] = fn;
    reply[8] = count * 2;
    requests++;
    for (let index = 0; index < count; index++) reply.writeUInt16BE((start + index + requests) & 0xffff, 9 + index * 2);
    return reply;
  }
  const reply = Buffer.from([0, 0, 0, 0, 0, 3, unit, fn | 0x80, 1]);
  reply.writeUInt16BE(transaction, 0);
  return reply;
}

function serve(socket: net.Socket): void {
  socket.setNoDelay(true);
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const replies: Buffer[] = [];
    while (pending.length >= 7) {
      const length = 6 + pending.readUInt16BE(4);
      if (pending.length < length) break;
      replies.push(answer(pending.subarray(0, length)));
      pending = pending.subarray(length);
    }
    if (replies.length > 0) socket.write(replies.length === 1 ? replies[0]! : Buffer.concat(replies));
  });
  socket.on('error', () => socket.destroy());
}

const count = Math.max(1, Number(process.argv[2] ?? 1));
const ports: number[] = [];
for (let index = 0; index < count; index++) {
  const server = net.createServer(serve);
  ports.push(
    await new Promise<number>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 511 }, () => resolve((server.address() as net.AddressInfo).port))),
  );
}
process.stdout.write(`PORTS ${ports.join(',')}\nPORT ${ports[0]}\n`);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
