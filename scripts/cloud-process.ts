// Starts the reference cloud platform (`npm run cloud -- serve`) the way an operator does, on a free
// port with its own data folder and operator token, for end-to-end tests and demos; stops it after.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNodeProcess } from './node-process.ts';
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
  const cloud = await startNodeProcess({
    args: [path.join(ROOT, 'cloud', 'cli.ts'), 'serve', '--port', '0', '--data-dir', dataDir],
    cwd: ROOT,
    env: { PLANTDESK_OPERATOR_TOKEN: operatorToken, PLANTDESK_TEST_PAYMENTS: '1', LOG_LEVEL: 'warn' },
    ready: /listening on (http:\/\/[^\s]+) /,
    name: 'the cloud',
    dataDir,
  });
  return { ...cloud, operatorToken, dataDir };
}
