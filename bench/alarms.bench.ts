// Alarm rules on live samples: 10,000 rules (limits H/L, rate of change, stuck, state; 4 per point
// on 2,500 points) evaluated through AlarmService.evaluate — the call the devices' sample callback
// makes — on batches of 500 samples as pollers deliver them, values moving inside their normal
// range (the everyday case: no transitions). Beside it, a reference measured in the same run: a bare
// loop doing the least any evaluation must (one Map lookup per sample, one comparison per rule).
// Then a burst: every rule trips at once, through raise, the batched write and the events.
//   BENCH_ALARM_RULES (default 10,000), BENCH_ALARM_SECONDS (default 3) per measurement.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sample } from '../shared/domain/devices.ts';
import { AlarmRuleSchema, type AlarmRule } from '../shared/domain/alarms.ts';
import { silentLogger } from '../core/host.ts';
import { AlarmService } from '../core/alarms/index.ts';
import { alarmsMigration } from '../core/alarms/schema.ts';
import { openDatabase } from '../core/storage/database.ts';
import type { Benchmark, Figure } from './run.ts';

const RULES = Number(process.env.BENCH_ALARM_RULES ?? 10_000);
const SECONDS = Number(process.env.BENCH_ALARM_SECONDS ?? 3);
const RULES_PER_POINT = 4;
const POINTS = Math.ceil(RULES / RULES_PER_POINT);
const BATCH = 500;
const message = { 'zh-CN': '{{point}} 报警', en: '{{point}} alarm' };

function rulesFor(point: number): AlarmRule[] {
  const pointId = `bench.p${point}`;
  const base = { severity: 'medium', message, pointId } as const;
  const all: AlarmRule[] = [
    AlarmRuleSchema.parse({ ...base, id: `${pointId}.H`, kind: 'limit', level: 'H', limit: 1000, deadband: 2, onDelayMs: 2000 }),
    AlarmRuleSchema.parse({ ...base, id: `${pointId}.L`, kind: 'limit', level: 'L', limit: -1000, deadband: 2 }),
    AlarmRuleSchema.parse({ ...base, id: `${pointId}.roc`, kind: 'rateOfChange', rate: 500, per: 'second' }),
    point % 2 === 0
      ? AlarmRuleSchema.parse({ ...base, id: `${pointId}.stuck`, kind: 'stuck', forMs: 3_600_000, tolerance: 0 })
      : AlarmRuleSchema.parse({ ...base, id: `${pointId}.state`, kind: 'state', values: [9999, 9998] }),
  ];
  return all;
}

/** Batches of samples, one per point, reused across rounds (the poller's objects are not ours to count). */
function makeBatches(): Sample[][] {
  const batches: Sample[][] = [];
  for (let start = 0; start < POINTS; start += BATCH) {
    const batch: Sample[] = [];
    for (let point = start; point < Math.min(POINTS, start + BATCH); point++) batch.push({ pointId: `bench.p${point}`, ts: 0, value: 0, quality: 'good' });
    batches.push(batch);
  }
  return batches;
}

/** Runs `round(ts)` over and over for SECONDS; returns rounds and seconds. */
function timed(round: (ts: number) => void): { rounds: number; seconds: number } {
  let ts = Date.now();
  // Warm-up: the JIT settles on the hot path first.
  for (let index = 0; index < 50; index++) round((ts += 1000));
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let rounds = 0;
  while (performance.now() < deadline) {
    for (let index = 0; index < 20; index++) round((ts += 1000));
    rounds += 20;
  }
  return { rounds, seconds: (performance.now() - started) / 1000 };
}

export const benchmark: Benchmark = {
  title: `Alarm rules on live samples (${RULES.toLocaleString('en')} rules, ${POINTS.toLocaleString('en')} points)`,
  async run(): Promise<Figure[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-bench-alarms-'));
    const db = openDatabase(dir);
    alarmsMigration(db);
    let raisedEvents = 0;
    let changedEvents = 0;
    const service = new AlarmService({
      db,
      logger: silentLogger,
      tickMs: 3_600_000,
      pointById: (id) => ({ name: id, unit: '', deviceId: 'bench' }),
      deviceName: () => 'Bench device',
      onRaised: () => raisedEvents++,
      onChanged: () => changedEvents++,
    });
    try {
      const rules: AlarmRule[] = [];
      for (let point = 0; point < POINTS && rules.length < RULES; point++) rules.push(...rulesFor(point).slice(0, RULES - rules.length));
      service.saveRules(rules);
      const batches = makeBatches();
      const engine = service.engine;

      // Live samples: each point wanders within ±10 of its level; no rule trips.
      let step = 0;
      const before = engine.evaluations;
      const live = timed((ts) => {
        step++;
        for (const batch of batches) {
          for (let index = 0; index < batch.length; index++) {
            const sample = batch[index]!;
            sample.ts = ts;
            sample.value = ((index + step) % 21) - 10;
          }
          service.evaluate(batch);
        }
      });
      const evaluations = engine.evaluations - before;
      const rate = evaluations / live.seconds;
      const samplesPerSecond = (live.rounds * POINTS) / live.seconds;

      // Reference: one Map lookup per sample and one comparison per rule, nothing else.
      const limits = new Map<string, Float64Array>();
      for (let point = 0; point < POINTS; point++) limits.set(`bench.p${point}`, new Float64Array(RULES_PER_POINT).fill(1000));
      let tripped = 0;
      let compared = 0;
      const bare = timed((ts) => {
        step++;
        for (const batch of batches) {
          for (let index = 0; index < batch.length; index++) {
            const sample = batch[index]!;
            sample.ts = ts;
            sample.value = ((index + step) % 21) - 10;
          }
          for (let index = 0; index < batch.length; index++) {
            const sample = batch[index]!;
            const list = limits.get(sample.pointId);
            if (list === undefined) continue;
            const value = sample.value as number;
            for (let at = 0; at < list.length; at++) if (value > list[at]!) tripped++;
            compared += list.length;
          }
        }
      });
      const bareRate = compared / bare.seconds;
      if (tripped > 0) throw new Error('the reference tripped');

      // A burst: every H rule of every point trips at once (value far over), then clears.
      const burstStarted = performance.now();
      const ts = Date.now() + 86_400_000;
      for (const batch of batches) {
        for (const sample of batch) {
          sample.ts = ts;
          sample.value = 5000;
        }
        service.evaluate(batch);
      }
      for (const batch of batches) {
        for (const sample of batch) sample.ts = ts + 5000;
        service.evaluate(batch);
      }
      service.flush();
      const burstMs = performance.now() - burstStarted;
      const raised = service.active().alarms.length;

      return [
        { name: 'rule evaluations per second (live samples)', value: rate, unit: 'eval/s', target: '≥ 1,000,000', reference: `bare lookup+compare ${Math.round(bareRate).toLocaleString('en')} eval/s` },
        { name: 'time per evaluation', value: 1e9 / rate, unit: 'ns' },
        { name: 'samples per second through the rules', value: samplesPerSecond, unit: 'samples/s' },
        { name: `burst: ${raised.toLocaleString('en')} alarms raised, stored and announced`, value: burstMs, unit: 'ms', reference: `${raisedEvents} raised event(s), ${changedEvents} changed event(s)` },
      ];
    } finally {
      service.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
