// The device layer's cost on one TCP connection: requests of 100 holding registers through
// ModbusLink (queue, timeout, error mapping, traffic tap), beside bare modbus-serial on the same peer.
import modbusSerial from 'modbus-serial';
import { silentLogger } from '../core/host.ts';
import { ModbusLink } from '../core/devices/index.ts';
import type { Benchmark, Figure } from './run.ts';
import { measure, startPeer } from './support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const REGISTERS = 100;

async function runFor(seconds: number, request: () => Promise<unknown>) {
  for (let index = 0; index < 300; index++) await request();
  return measure(async () => {
    const deadline = performance.now() + seconds * 1000;
    let count = 0;
    while (performance.now() < deadline) {
      for (let index = 0; index < 100; index++) await request();
      count += 100;
    }
    return count;
  });
}

export const benchmark: Benchmark = {
  title: `Modbus TCP client: ${REGISTERS} holding registers per request, one connection`,
  async run() {
    const peer = await startPeer('peers/fast-modbus-peer.ts');
    try {
      const bare = new modbusSerial.default();
      await bare.connectTCP('127.0.0.1', { port: peer.port });
      bare.setID(1);
      bare.setTimeout(1000);
      const link = new ModbusLink({ kind: 'tcp', host: '127.0.0.1', port: peer.port }, silentLogger);
      const label = { device: 'bench', address: `127.0.0.1:${peer.port}`, timeoutMs: 1000 };
      const viaBare = () => bare.readHoldingRegisters(0, REGISTERS);
      const viaLink = () => link.request(1, label, (client) => client.readHoldingRegisters(0, REGISTERS));
      // Alternate the two, twice, and keep each one's better run: the machine's noise hits both alike.
      const runs = { bare: [] as Awaited<ReturnType<typeof runFor>>[], link: [] as Awaited<ReturnType<typeof runFor>>[] };
      for (let round = 0; round < 2; round++) {
        runs.bare.push(await runFor(SECONDS, viaBare));
        runs.link.push(await runFor(SECONDS, viaLink));
      }
      bare.close(() => {});
      link.close();
      const best = (list: typeof runs.bare) => list.reduce((a, b) => (b.result / b.wallMs > a.result / a.wallMs ? b : a));
      const b = best(runs.bare);
      const l = best(runs.link);
      const rate = (run: typeof b) => (run.result / run.wallMs) * 1000;
      const figures: Figure[] = [
        { name: 'requests/s through the client layer', value: rate(l), unit: 'req/s', target: '≥ 90 % of bare', reference: `bare modbus-serial ${rate(b).toFixed(0)} req/s` },
        { name: 'client layer as a share of bare modbus-serial', value: (rate(l) / rate(b)) * 100, unit: '%', target: '≥ 90 %' },
        { name: 'registers/s through the client layer', value: rate(l) * REGISTERS, unit: 'reg/s' },
        { name: 'CPU per request, client layer', value: l.cpuMicros / l.result, unit: 'µs', target: '≤ 60 µs', reference: `bare ${(b.cpuMicros / b.result).toFixed(1)} µs` },
      ];
      return figures;
    } finally {
      peer.stop();
    }
  },
};
