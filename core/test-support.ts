// Helpers for the core's tests: waiting for a condition instead of sleeping, a temporary data folder
// per test, a free port on the loopback interface, a point with the schema's defaults, calls through
// the dispatcher that must succeed or be refused. Never imported by the core itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PointSchema, type CallName, type CallOutput, type Point, type PointInput } from '../shared/index.ts';
import type { CallContext } from './contract/dispatcher.ts';
import { AppError } from '../shared/errors.ts';
import { silentLogger } from './host.ts';
import type { Core, CoreOptions } from './index.ts';

/** What a truthy check leaves of a type: `false | X[]` becomes `X[]`. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | '' | 0n>;

/**
 * Polls `predicate` until it returns a truthy value (which is returned), or rejects after `timeoutMs`
 * naming what was awaited. A predicate that throws counts as "not yet"; its last error is reported.
 * @example const status = await waitFor(() => core.status('demo-cnc1')?.state === 'connected', 5000)
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeoutMs: number,
  options: { intervalMs?: number; what?: string } = {},
): Promise<Truthy<T>> {
  const { intervalMs = 20, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A fresh folder under the system's temp folder; remove it with `removeDir` when the test ends. */
export function makeTempDir(prefix = 'plantdesk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export { freePort } from './net.ts';

/** A holding-register uint16 point of device 'dev' with every other field at the schema's default. */
export function testPoint(fields: Partial<PointInput> & { id: string; address: number }): Point {
  return PointSchema.parse({ deviceId: 'dev', name: fields.id, dataType: 'uint16', ...fields });
}

/** A call through the core's dispatcher that must succeed; its value typed as the contract says. */
export async function mustCall<Name extends CallName>(core: Pick<Core, 'dispatch'>, name: Name, input: unknown, context: CallContext): Promise<CallOutput<Name>> {
  const result = await core.dispatch(name, input, context);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as CallOutput<Name>;
}

/** A call through the core's dispatcher that must be refused; its error body. */
export async function mustRefuse(core: Pick<Core, 'dispatch'>, name: string, input: unknown, context: CallContext) {
  const result = await core.dispatch(name, input, context);
  if (result.ok) throw new Error(`${name} was expected to be refused`);
  return result.error;
}

/** A whole core for a test: the demo plant on free ports, every answer checked, a quick writer and quick reconnects. */
export function testCoreOptions(dataDir: string): CoreOptions {
  return {
    host: { kind: 'web', dataDir, logger: silentLogger },
    demoFixedPorts: false,
    checkOutputs: true,
    locale: 'en',
    writer: { flushIntervalMs: 50 },
    links: { minBackoffMs: 20, maxBackoffMs: 200 },
  };
}

/** The AppError `work` throws; anything else (or nothing) fails the test. */
export function caughtAppError(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a failure, but it succeeded');
}
