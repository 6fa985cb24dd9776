// Starts `npm run serve` the way a user does (node scripts/serve.ts), on a free port with its own
// data folder, and stops it afterwards. Records how long the start took.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNodeProcess } from './node-process.ts';

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
  const serve = await startNodeProcess({
    args: [path.join(ROOT, 'scripts', 'serve.ts'), '--port', '0', '--data-dir', dataDir, ...extraArgs],
    cwd: ROOT,
    env,
    ready: /running at (http:\/\/[^\s]+)/,
    name: 'serve',
    dataDir,
  });
  return { ...serve, dataDir, spawnedAt };
}
