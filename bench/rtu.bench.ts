// Modbus RTU through the client layer as a share of what the wire allows: 100 holding registers per
// request against pymodbus (an RTU server on a pty), through a relay that paces every byte at the
// baud rate. The wire limit counts only the frames' bytes; silences and turnaround are the cost.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeValue, readFrameBytes } from '../shared/index.ts';
import { silentLogger } from '../core/host.ts';
import { ModbusLink } from '../core/devices/index.ts';
import type { Benchmark, Figure } from './run.ts';
import { BENCH_DIR } from './support.ts';

const REGISTERS = 100;
const PYMODBUS_SERVER = path.join(BENCH_DIR, '..', 'e2e', 'interop', 'peers', 'pymodbus_server.py');

function started(child: ChildProcess, what: string, pattern = /READY/): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${output}`)), 15_000);
    const listen = (chunk: Buffer) => {
      output += String(chunk);
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', listen);
    child.stderr?.on('data', listen);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${output}`)));
  });
}

async function ptyPair(dir: string, name: string, children: ChildProcess[]): Promise<[string, string]> {
  const a = path.join(dir, `${name}-a`);
  const b = path.join(dir, `${name}-b`);
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(socat);
  await started(socat, 'socat', /starting data transfer loop/);
  return [a, b];
}

async function measureAt(baud: number, seconds: number): Promise<{ rate: number; limit: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-bench-rtu-'));
  const children: ChildProcess[] = [];
  try {
    const [clientSide, relayClient] = await ptyPair(dir, 'client', children);
    const [relayServer, serverSide] = await ptyPair(dir, 'server', children);
    const image = path.join(dir, 'image.json');
    fs.writeFileSync(image, JSON.stringify({ holding: Array.from({ length: 125 }, (_, index) => encodeValue(index, 'uint16', 'ABCD')[0]) }));
    const server = spawn('/usr/bin/python3', [PYMODBUS_SERVER, '--rtu', serverSide, '--baud', String(baud), '--image', image, '--units', '1', '--max-seconds', String(seconds + 30)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(server);
    await started(server, 'pymodbus');
    const relay = spawn(process.execPath, [path.join(BENCH_DIR, 'peers', 'paced-relay.ts'), relayClient, relayServer, String(baud)], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(relay);
    await started(relay, 'relay');

    const link = new ModbusLink({ kind: 'rtu', path: clientSide, baudRate: baud, parity: 'none', dataBits: 8, stopBits: 1 }, silentLogger);
    const label = { device: 'bench', address: clientSide, timeoutMs: 2000 };
    const read = () => link.request(1, label, (client) => client.readHoldingRegisters(0, REGISTERS));
    await read();
    let count = 0;
    const begin = performance.now();
    while (performance.now() - begin < seconds * 1000) {
      await read();
      count++;
    }
    const elapsed = (performance.now() - begin) / 1000;
    link.close();
    const { request, response } = readFrameBytes(REGISTERS, false);
    return { rate: count / elapsed, limit: baud / (10 * (request + response)) };
  } finally {
    for (const child of children) {
      child.stdin?.end();
      child.kill('SIGTERM');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  title: `Modbus RTU: ${REGISTERS} holding registers per request over a paced serial line (pymodbus peer)`,
  async run() {
    const figures: Figure[] = [];
    for (const [baud, seconds, target] of [[9600, 12, '≥ 95 %'], [115_200, 6, undefined]] as const) {
      const { rate, limit } = await measureAt(baud, seconds);
      figures.push(
        { name: `requests/s at ${baud} baud`, value: rate, unit: 'req/s', reference: `wire limit ${limit.toFixed(2)} req/s` },
        { name: `share of the wire limit at ${baud} baud`, value: (rate / limit) * 100, unit: '%', ...(target ? { target } : {}) },
      );
    }
    return figures;
  },
};
