// The bundled core process, run as Electron runs it (an entry with a parentPort), under Node: it
// starts the core, answers calls with the demo plant's devices, stores samples through the bundled
// writer thread, and stops when told. Catches what only the bundle can get wrong (module format,
// externals, the writer thread's path).
import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FromCore, ToCore } from './core-messages.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const bundle = path.join(ROOT, 'dist', 'electron', 'core-process.cjs');
let dataDir: string;

beforeAll(async () => {
  // Build as `npm test` does (only what is stale), as a command: the shell does not import the scripts.
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.ts')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the build failed: ${build.stderr}`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-bundle-'));
}, 60_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the bundled core process', () => {
  it('starts, answers calls, stores samples through its writer thread, and stops when told', async () => {
    const child = fork(path.join(ROOT, 'electron', 'core-process-child.cjs'), ['--data-dir', dataDir, '--lang', 'en'], {
      env: { ...process.env, PLANTDESK_CORE_BUNDLE: bundle },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    const messages: FromCore[] = [];
    const next = (match: (message: FromCore) => boolean, timeoutMs = 20_000) =>
      new Promise<FromCore>((resolve, reject) => {
        const found = messages.find(match);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no such message within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        const listen = (message: FromCore) => {
          if (!match(message)) return;
          clearTimeout(timer);
          child.off('message', listen);
          resolve(message);
        };
        child.on('message', listen);
      });
    child.on('message', (message: FromCore) => messages.push(message));
    const send = (message: ToCore) => child.send(message);
    try {
      await next((message) => message.type === 'ready');
      send({ type: 'call', id: 1, name: 'devices.list', input: {}, locale: 'en' });
      const listed = await next((message) => message.type === 'result' && message.id === 1);
      if (listed.type !== 'result' || !listed.result.ok) throw new Error(`devices.list failed: ${JSON.stringify(listed)}`);
      expect((listed.result.value as { id: string }[]).map((device) => device.id)).toEqual(['demo-cnc1', 'demo-imm1', 'demo-meter1']);

      // Samples flow as events, and reach the database through the bundled writer thread.
      await next((message) => message.type === 'event' && message.message.event === 'samples.appended');
      let stored = 0;
      for (let attempt = 0; attempt < 50 && stored === 0; attempt++) {
        send({ type: 'call', id: 100 + attempt, name: 'historian.query', input: { pointIds: ['demo-meter1.activePower'], from: 0, to: Date.now() + 60_000 }, locale: 'en' });
        const answer = await next((message) => message.type === 'result' && message.id === 100 + attempt);
        if (answer.type === 'result' && answer.result.ok) stored = (answer.result.value as { series: { points: unknown[] }[] }).series[0]!.points.length;
        if (stored === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(stored).toBeGreaterThan(0);

      send({ type: 'call', id: 2, name: 'devices.explode', input: {}, locale: 'zh-CN' });
      const refused = await next((message) => message.type === 'result' && message.id === 2);
      expect(refused.type === 'result' && !refused.result.ok && refused.result.error.message).toMatch(/不认识请求/);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      send({ type: 'stop' });
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
