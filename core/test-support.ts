// Helpers for the core's tests: waiting for a condition instead of sleeping, a temporary data folder
// per test, and a free port on the loopback interface. Never imported by the core itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
