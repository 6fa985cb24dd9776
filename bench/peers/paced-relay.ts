// A serial line at a real baud rate between two pty pairs (a socat pty pair passes bytes at once,
// whatever the baud rate): every byte takes 10 bit-times, in each direction, as on an 8N1 line.
//   node bench/peers/paced-relay.ts <client-side pty> <server-side pty> <baud>
// Prints READY, relays until its stdin closes. Benchmark infrastructure only.
import { SerialPort } from 'serialport';

const [clientPath, serverPath, baudText] = process.argv.slice(2);
const baud = Number(baudText);
const msPerByte = 10_000 / baud;

function open(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: baud, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

/** Delivers each chunk when its last byte would have arrived on the wire. */
function pace(from: SerialPort, to: SerialPort): void {
  let lineFreeAt = 0;
  from.on('data', (chunk: Buffer) => {
    const now = performance.now();
    lineFreeAt = Math.max(now, lineFreeAt) + chunk.length * msPerByte;
    setTimeout(() => to.write(chunk), Math.max(0, lineFreeAt - now));
  });
}

const client = await open(clientPath!);
const server = await open(serverPath!);
pace(client, server);
pace(server, client);
process.stdout.write('READY\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
