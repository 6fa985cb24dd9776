// Used only by the storage tests: runs a whole core (with the demo plant) on the data folder given on
// the command line, in a process of its own — so a test can run it as another user (a folder it may
// not write) or inside a tiny file system of its own (a full disk) — and answers requests given as JSON
// lines on stdin, one JSON line each on stdout:
//   {"id":1,"call":"storage.status","input":{},"locale":"en"}  →  {"id":1,"result":{"ok":true,"value":{...}}}
//   {"id":2,"fill":65536}   fills the disk of the data folder until that many bytes are free (ballast file)
//   {"id":3,"unfill":true}  deletes the ballast again
//   {"id":4,"quit":true}    closes the core and exits
// Events the core emits about storage are printed as {"event":"storage.statusChanged","payload":{...}}.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createCore } from '../index.ts';
import { createNodeHost } from '../hosts/node-host.ts';

const dataDir = process.argv[2] ?? '';
if (!dataDir) throw new Error('usage: storage-child.ts <dataDir>');
const ballast = path.join(dataDir, 'ballast.bin');
const print = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

const core = await createCore({
  host: createNodeHost(dataDir),
  demoFixedPorts: false,
  locale: 'en',
  checkOutputs: true,
  writer: { flushIntervalMs: 20 },
  links: { minBackoffMs: 20, maxBackoffMs: 200 },
  storage: { checkIntervalMs: 100, retryOpenMs: 300 },
});
core.events.subscribe((message) => {
  if (message.event === 'storage.statusChanged') print(message);
});

function fill(free: number): number {
  const stats = fs.statfsSync(dataDir);
  let left = stats.bavail * stats.bsize - free;
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  const fd = fs.openSync(ballast, 'a');
  let written = 0;
  try {
    while (left > 0) {
      const bytes = Math.min(left, chunk.length);
      fs.writeSync(fd, chunk, 0, bytes);
      written += bytes;
      left -= bytes;
    }
    fs.fsyncSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

type Request = { id: number; call?: string; input?: unknown; locale?: 'en' | 'zh-CN'; fill?: number; unfill?: boolean; quit?: boolean };

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const request = JSON.parse(line) as Request;
  void (async () => {
    try {
      if (request.call) {
        const result = await core.dispatch(request.call, request.input ?? {}, { role: 'admin', locale: request.locale ?? 'en', actor: 'test' });
        print({ id: request.id, result });
      } else if (request.fill !== undefined) {
        print({ id: request.id, result: { ok: true, value: { written: fill(request.fill) } } });
      } else if (request.unfill) {
        fs.rmSync(ballast, { force: true });
        print({ id: request.id, result: { ok: true, value: {} } });
      } else if (request.quit) {
        await core.close();
        print({ id: request.id, result: { ok: true, value: {} } });
        process.exit(0);
      }
    } catch (error) {
      print({ id: request.id, result: { ok: false, error: { code: 'internal', message: String(error) } } });
    }
  })();
});
print({ ready: true, state: core.storage.state });
