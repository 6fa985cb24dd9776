// The core in a process of its own (storage-child.ts) where the file system itself says no: a data
// folder the user may not write, and a disk that fills up. The core starts (or keeps running),
// polls, holds the newest samples in memory, says what is wrong naming the file or folder, and
// stores the held samples once the folder may be written or space is freed — without a restart.
//
// Read-only folder: when the tests run as root, chmod does not stop root from writing, so the core
// runs as the unprivileged user "nobody" (uid 65534) on a folder root owns; otherwise the folder is
// chmod 0500. Either way the refusal comes from the real file system.
// Full disk: a 16 MB tmpfs mounted in a user and mount namespace of the child's own (`unshare -rm`,
// no root needed where unprivileged user namespaces are allowed); the test is skipped where they
// are not. The writer's SQLITE_FULL handling is also covered without it, in writer-thread.test.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, CallOutput, CallResult, EventPayload } from '../../shared/index.ts';
import { silentLogger } from '../host.ts';
import { createCore } from '../index.ts';
import { makeTempDir, removeDir, waitFor } from '../test-support.ts';
import { DATABASE_FILE } from './database.ts';

const CHILD = fileURLToPath(new URL('./storage-child.ts', import.meta.url));
const NOBODY = 65534;
const runAsRoot = process.getuid?.() === 0;

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  cleanups.push(() => {
    fs.chmodSync(dir, 0o700);
    removeDir(dir);
  });
  return dir;
}

interface ChildCore {
  call<Name extends CallName>(name: Name, input: unknown, locale?: 'en' | 'zh-CN'): Promise<CallOutput<Name>>;
  request(request: Record<string, unknown>): Promise<CallResult>;
  /** The storage.statusChanged payloads the child's core emitted so far. */
  events: EventPayload<'storage.statusChanged'>[];
  stderr(): string;
  quit(): Promise<void>;
}

/** Starts storage-child.ts on `dataDir`, optionally as another user or wrapped in another command. */
async function startChild(dataDir: string, options: { uid?: number; wrap?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<ChildCore> {
  const command = options.wrap ? options.wrap[0]! : process.execPath;
  const args = [...(options.wrap ? [...options.wrap.slice(1), process.execPath] : []), CHILD, dataDir];
  const child: ChildProcess = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: path.dirname(CHILD),
    env: { ...process.env, ...options.env },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let stderr = '';
  let buffered = '';
  let ready = false;
  const waiting = new Map<number, (result: CallResult) => void>();
  const events: EventPayload<'storage.statusChanged'>[] = [];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const message = JSON.parse(line) as { ready?: boolean; id?: number; result?: CallResult; event?: string; payload?: EventPayload<'storage.statusChanged'> };
      if (message.ready) ready = true;
      if (message.event === 'storage.statusChanged') events.push(message.payload!);
      if (message.id !== undefined) waiting.get(message.id)?.(message.result!);
    }
  });
  await waitFor(() => ready || child.exitCode !== null, 15_000, { what: 'the child core to start' });
  if (!ready) throw new Error(`the child core did not start: ${stderr}`);

  let nextId = 1;
  const request = (body: Record<string, unknown>) =>
    new Promise<CallResult>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(body)}; stderr: ${stderr}`)), 15_000);
      waiting.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      child.stdin!.write(`${JSON.stringify({ id, ...body })}\n`);
    });
  return {
    request,
    events,
    async call(name, input, locale = 'en') {
      const result = await request({ call: name, input, locale });
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as never;
    },
    stderr: () => stderr,
    async quit() {
      await request({ quit: true });
      await exited;
    },
  };
}

async function waitUntilLive(core: ChildCore, after = 0): Promise<void> {
  await waitFor(
    async () => {
      const points = await core.call('points.list', {});
      return points.length === 23 && points.every((point) => point.latest?.quality === 'good' && point.latest.ts > after);
    },
    10_000,
    { what: 'live values from every demo point', intervalMs: 100 },
  );
}

async function storedTimes(core: ChildCore, from: number, to = Date.now()): Promise<number[]> {
  const result = await core.call('historian.query', { pointIds: ['demo-cnc1.spindleSpeed'], from, to, maxPoints: 5000 });
  return result.series[0]!.points.map(([ts]) => ts);
}

/** Whether the user nobody can run the child script (root's tests need it: chmod does not stop root). */
function nobodyCanRunTheChild(): boolean {
  const probe = spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(CHILD)}, require('node:fs').constants.R_OK)`], {
    uid: NOBODY,
    gid: NOBODY,
    stdio: 'ignore',
    timeout: 5000,
  });
  return probe.status === 0;
}

describe('a data folder PlantDesk may not write', () => {
  it(`the core starts, names the folder, polls the devices of the newest backup, and stores the held samples once it may write (${runAsRoot ? 'as user nobody' : 'chmod 0500'})`, async (context) => {
    if (process.platform === 'win32') context.skip('folder permissions are tested on Linux and macOS');
    if (runAsRoot && !nobodyCanRunTheChild()) context.skip('running as root, and the user nobody cannot read the repository to run the core');
    const dataDir = tempDir('plantdesk-readonly-');
    // Made while the folder could be written: devices, history and a backup.
    const first = await createCore({ host: { kind: 'web', dataDir, logger: silentLogger }, demoFixedPorts: false, locale: 'en', writer: { flushIntervalMs: 20 } });
    await waitFor(() => (first.db.prepare('SELECT count(*) FROM samples').pluck().get() as number) > 20, 8000, { what: 'some stored samples' });
    const backup = await first.dispatch('storage.backup', {}, { role: 'admin', locale: 'en' });
    expect(backup.ok).toBe(true);
    await first.close();

    const scratch = tempDir('plantdesk-scratch-');
    fs.chmodSync(scratch, 0o777);
    let makeWritable: () => void;
    if (runAsRoot) {
      // Folders root owns and others may only read and enter.
      fs.chmodSync(dataDir, 0o755);
      for (const name of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, name), fs.statSync(path.join(dataDir, name)).isDirectory() ? 0o755 : 0o644);
      makeWritable = () => {
        fs.chmodSync(dataDir, 0o777);
        fs.chmodSync(path.join(dataDir, DATABASE_FILE), 0o666);
      };
    } else {
      fs.chmodSync(dataDir, 0o500);
      makeWritable = () => fs.chmodSync(dataDir, 0o700);
    }
    const core = await startChild(dataDir, { uid: runAsRoot ? NOBODY : undefined, env: { TMPDIR: scratch } });
    const startedAt = Date.now();

    const status = await core.call('storage.status', {});
    const file = path.join(dataDir, DATABASE_FILE);
    expect(status).toMatchObject({ state: 'unavailable', problemKind: 'readOnly', file });
    expect(status.problem).toContain(`PlantDesk may not write to the database ${file}`);
    expect(status.problem).toContain(`Give the Windows user write access to the folder ${dataDir}`);
    expect((await core.call('storage.status', {}, 'zh-CN')).problem).toContain(`请为当前 Windows 用户开放文件夹 ${dataDir} 的写入权限`);
    await waitUntilLive(core);
    const refused = await core.request({ call: 'devices.delete', input: { deviceId: 'demo-cnc1' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'storage_error' } });

    makeWritable();
    const reopened = await waitFor(
      async () => {
        const now = await core.call('storage.status', {});
        return now.state === 'ok' && now.heldSamples === 0 && now;
      },
      10_000,
      { what: 'the core to use the folder once it may write', intervalMs: 100 },
    );
    const writableAt = Date.now();
    expect(reopened.problem).toBeNull();
    expect(core.events.at(-1)).toMatchObject({ state: 'ok', problemKind: null });
    // Samples read while the folder was read-only are in the file now.
    await waitFor(async () => (await storedTimes(core, startedAt, writableAt)).length > 0, 5000, { what: 'held samples stored' });
    await core.quit();
  }, 40_000);
});

function canMountTinyDisk(): boolean {
  const probe = makeTempDir('plantdesk-unshare-');
  try {
    return spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0"', probe], { stdio: 'ignore', timeout: 5000 }).status === 0;
  } catch {
    return false;
  } finally {
    removeDir(probe);
  }
}

describe('a disk that fills up while recording', () => {
  it('the writer holds the samples, storage.status says the disk is full, and once space is freed every held sample is stored', async (context) => {
    if (!canMountTinyDisk()) context.skip('unprivileged user namespaces (unshare -rm) are not available here');
    const dataDir = tempDir('plantdesk-full-');
    const core = await startChild(dataDir, { wrap: ['unshare', '-rm', 'sh', '-c', 'mount -t tmpfs -o size=16m tmpfs "$0" && exec "$@"', dataDir] });
    await waitUntilLive(core);
    await waitFor(async () => (await storedTimes(core, Date.now() - 10 * 60_000)).length > 2, 5000, { what: 'some stored samples' });

    const fillResult = await core.request({ fill: 8 * 1024 });
    expect(fillResult.ok).toBe(true);
    const filledAt = Date.now();
    const full = await waitFor(
      async () => {
        const status = await core.call('storage.status', {});
        return status.problemKind === 'full' && status.heldSamples > 0 && status;
      },
      10_000,
      { what: 'storage.status to say the disk is full', intervalMs: 100 },
    );
    const file = path.join(dataDir, DATABASE_FILE);
    expect(full.state).toBe('ok');
    expect(full.problem).toContain(`The disk holding the database ${file} is full (`);
    expect(full.problem).toContain('Free some space on that disk');
    expect((await core.call('storage.status', {}, 'zh-CN')).problem).toContain('所在的磁盘已满');
    // Polling goes on while nothing can be written.
    await waitUntilLive(core, Date.now());

    expect((await core.request({ unfill: true })).ok).toBe(true);
    const freed = await waitFor(
      async () => {
        const status = await core.call('storage.status', {});
        return status.problem === null && status.heldSamples === 0 && status;
      },
      10_000,
      { what: 'every held sample written after space was freed', intervalMs: 100 },
    );
    const freedAt = Date.now();
    expect(freed.state).toBe('ok');
    expect(core.events.map((event) => event.problemKind)).toEqual(['full', null]);
    const during = await storedTimes(core, filledAt + 1500, freedAt - 500);
    expect(during.length).toBeGreaterThan(0);
    await core.quit();
  }, 40_000);
});
