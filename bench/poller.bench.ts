// The whole poller under load: 1,000 devices of 100 points each at a 1 s scan class, each device on
// its own TCP connection to a fast peer in another process — planner, queues, decoding, quality,
// historian writes (every value changes, so every sample is stored) — in one core.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeviceSchema, PointSchema } from '../shared/index.ts';
import { silentLogger } from '../core/host.ts';
import { createCore } from '../core/index.ts';
import { DeviceStore } from '../core/devices/index.ts';
import { openDatabase } from '../core/storage/database.ts';
import type { Benchmark } from './run.ts';
import { measure, percentile, startPeer } from './support.ts';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const POINTS = 100;
const SCAN_MS = 1000;
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 8);
const WINDOW_S = Number(process.env.BENCH_WINDOW ?? 20);

export const benchmark: Benchmark = {
  title: `Poller: ${DEVICES} devices × ${POINTS} points at a ${SCAN_MS / 1000} s scan class`,
  async run() {
    const peer = await startPeer('peers/fast-modbus-peer.ts', [String(DEVICES)]);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-bench-poller-'));
    try {
      const db = openDatabase(dataDir);
      const store = new DeviceStore(db, silentLogger);
      const devices = Array.from({ length: DEVICES }, (_, index) =>
        DeviceSchema.parse({ id: `d${index}`, name: `Device ${index}`, connection: { kind: 'tcp', host: '127.0.0.1', port: peer.port }, unitId: 1 + (index % 247) }),
      );
      // Each device on its own port, so each has its own connection, as each PLC has its own address.
      for (const [index, device] of devices.entries()) device.connection = { kind: 'tcp', host: '127.0.0.1', port: peer.ports[index]! };
      const points = devices.flatMap((device) =>
        Array.from({ length: POINTS }, (_, index) =>
          PointSchema.parse({ id: `${device.id}.p${index}`, deviceId: device.id, name: `P${index}`, address: index, dataType: 'uint16', scanMs: SCAN_MS }),
        ),
      );
      store.saveAll(devices, points);
      db.close();

      const scans: { lateMs: number; durationMs: number; failedReads: number }[] = [];
      let recording = false;
      const core = await createCore({
        host: { kind: 'web', dataDir, logger: silentLogger },
        demo: false,
        pollers: {
          onScanFinished: (_deviceId, lateMs, durationMs, failedReads) => {
            if (recording) scans.push({ lateMs, durationMs, failedReads });
          },
        },
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, WARMUP_S * 1000));
        const connected = ((await core.dispatch('devices.list', {}, { role: 'viewer', locale: 'en' })) as { ok: true; value: { status: { state: string } }[] }).value
          .filter((device) => device.status.state === 'connected').length;
        recording = true;
        const window = await measure(() => new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000)));
        recording = false;
        const goodSamples = scans.filter((scan) => scan.failedReads === 0).length * POINTS;
        const expected = DEVICES * (WINDOW_S * 1000 / SCAN_MS);
        const onTime = scans.filter((scan) => scan.failedReads === 0 && scan.lateMs <= 50 && scan.lateMs + scan.durationMs < SCAN_MS).length;
        const stored = (core.db.prepare('SELECT count(*) FROM samples').pluck().get() as number);
        return [
          { name: 'devices connected after warm-up', value: connected, unit: 'devices' },
          { name: 'scans on time (read, ≤ 50 ms late, done in the period)', value: (Math.min(onTime, expected) / expected) * 100, unit: '%', target: '≥ 99.9 %' },
          { name: 'median lateness', value: percentile(scans.map((scan) => scan.lateMs), 0.5), unit: 'ms' },
          { name: 'p99 lateness', value: percentile(scans.map((scan) => scan.lateMs), 0.99), unit: 'ms', target: '≤ 50 ms' },
          { name: 'p99 scan duration', value: percentile(scans.map((scan) => scan.durationMs), 0.99), unit: 'ms' },
          { name: 'samples per second from successful scans', value: goodSamples / WINDOW_S, unit: '/s', reference: `${DEVICES * POINTS * (1000 / SCAN_MS)} expected` },
          { name: 'core CPU', value: (window.cpuMicros / 1000 / window.wallMs) * 100, unit: '% core', target: '≤ 50 %' },
          { name: 'core peak memory (RSS)', value: window.peakRssMb, unit: 'MB', target: '≤ 300 MB' },
          { name: 'samples stored in the historian', value: stored, unit: 'rows' },
        ];
      } finally {
        await core.close();
      }
    } finally {
      peer.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
