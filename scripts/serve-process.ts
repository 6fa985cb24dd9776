// Starts `npm run serve` the way a user does (node scripts/serve.ts), on a free port with its own
// data folder, and stops it afterwards. Records how long the start took.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

export interface ServeProcess {
  url: string;
  dataDir: string;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  output: () => string;
  stop(): Promise<void>;
}

/** `env` adds to the inherited environment (e.g. PLANTDESK_CLOUD_URL for a test cloud). */
export async function startServe(extraArgs: readonly string[] = [], env: Record<string, string> = {}): Promise<ServeProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-e2e-'));
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'scripts', 'serve.ts'), '--port', '0', '--data-dir', dataDir, ...extraArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 120 s:\n${output}`)), 120_000);
    const check = () => {
      const match = /running at (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    spawnedAt,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
