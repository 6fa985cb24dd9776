// Power-cut safety, as near as a test can come: a process ingesting samples through the historian's
// writer thread is killed with SIGKILL at random moments, over and over, on one real database file.
// After every kill the file passes PRAGMA integrity_check, and every sample whose batch the writer
// acknowledged (it acknowledges only after the commit) is there, with no gap before it — whether it
// is still a plain row or was rolled up and compressed into a block by the upkeep running meanwhile. A real power
// cut also loses what the OS had not written to disk; synchronous=FULL covers that, and no test
// here can cut the power.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../storage/database.ts';
import { RawReader } from './raw-reader.ts';
import { makeTempDir, removeDir, waitFor } from '../test-support.ts';

/** The child's sample n has time n × STEP_MS (core/historian/ingest-child.ts). */
const STEP_MS = 20;
const CHILD = fileURLToPath(new URL('./ingest-child.ts', import.meta.url));
const ROUNDS = 24;
const MIN_ROUNDS = 20;
const BUDGET_MS = 25_000;

let dataDir: string;
beforeEach(() => {
  dataDir = makeTempDir('plantdesk-kill-');
});
afterEach(() => {
  removeDir(dataDir);
});

interface Round {
  start: number;
  acknowledged: number;
}

/** Starts the ingesting child, lets it commit a little, kills it at a random moment; what it acknowledged. */
async function ingestAndKill(random: () => number): Promise<Round> {
  const child = spawn(process.execPath, [CHILD, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const round: Round = { start: -1, acknowledged: -1 };
  let acks = 0;
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [word, number] = line.split(' ');
      if (word === 'ready') round.start = Number(number);
      if (word === 'acked') {
        round.acknowledged = Number(number);
        acks++;
      }
    }
  });
  try {
    // Killed only once it is writing, after a random number of batches and a random moment more.
    const batches = 1 + Math.floor(random() * 20);
    await waitFor(() => acks >= batches || child.exitCode !== null, 10_000, { what: `${batches} acknowledged batches` });
    expect(child.exitCode, stderr).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, random() * 30));
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  // Lines printed before the kill may still be in the pipe.
  await new Promise((resolve) => setImmediate(resolve));
  return round;
}

describe('killing the ingesting process', () => {
  it(`${MIN_ROUNDS}+ SIGKILLs mid-ingest leave an intact file holding every acknowledged sample, without gaps`, async () => {
    let seed = 0x2f6e2b1;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const startedAt = Date.now();
    let rounds = 0;
    let lastAcknowledged = 0;
    let blocks = 0;
    let minutes = 0;
    for (; rounds < ROUNDS && (rounds < MIN_ROUNDS || Date.now() - startedAt < BUDGET_MS); rounds++) {
      const round = await ingestAndKill(random);
      expect(round.start).toBeGreaterThanOrEqual(lastAcknowledged);
      expect(round.acknowledged).toBeGreaterThan(round.start);

      const db = new Database(path.join(dataDir, DATABASE_FILE));
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const samples = new RawReader(db).read(1, 0, Number.MAX_SAFE_INTEGER);
        const last = samples.at(-1)?.value ?? 0;
        // Everything acknowledged is there; batches committed after the last line printed may be too.
        expect(last).toBeGreaterThanOrEqual(round.acknowledged);
        // 1..last, each exactly once, at its time: no batch is missing before a later one.
        expect(samples.length).toBe(last);
        expect(samples.every((sample, index) => sample.value === index + 1 && sample.ts === (index + 1) * STEP_MS)).toBe(true);
        blocks = Math.max(blocks, db.prepare('SELECT count(*) FROM sample_blocks').pluck().get() as number);
        minutes = Math.max(minutes, db.prepare('SELECT count(*) FROM rollups').pluck().get() as number);
        lastAcknowledged = round.acknowledged;
      } finally {
        db.close();
      }
    }
    expect(rounds).toBeGreaterThanOrEqual(MIN_ROUNDS);
    expect(lastAcknowledged).toBeGreaterThan(10_000);
    // The kills also fell while the upkeep was working: there are rollups and compressed hours.
    expect(blocks).toBeGreaterThan(0);
    expect(minutes).toBeGreaterThan(0);
  }, 60_000);
});
