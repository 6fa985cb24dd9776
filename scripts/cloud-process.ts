// Starts the reference cloud platform (`npm run cloud -- serve`) the way an operator does, on a free
// port with its own data folder and operator token, for end-to-end tests and demos; stops it after.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './serve-process.ts';

export interface CloudProcess {
  url: string;
  operatorToken: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

/** A cloud with test payments on (never in production), listening on 127.0.0.1. */
export async function startCloudProcess(): Promise<CloudProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-cloud-e2e-'));
  const operatorToken = `op-${crypto.randomBytes(24).toString('hex')}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'cloud', 'cli.ts'), 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PLANTDESK_OPERATOR_TOKEN: operatorToken, PLANTDESK_TEST_PAYMENTS: '1', LOG_LEVEL: 'warn' },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the cloud did not start within 120 s:\n${output}`)), 120_000);
    const check = () => {
      const match = /listening on (http:\/\/[^\s]+) /.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the cloud exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    operatorToken,
    dataDir,
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
