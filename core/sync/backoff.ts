// When to try again after a failed sync: exponential back-off with full jitter (a uniform draw
// between the floor and an exponentially growing ceiling, so a plant's PCs coming back online
// together do not all call at once), between 2 s and 15 min, and never sooner than the cloud's
// Retry-After.

export const MIN_RETRY_MS = 2_000;
export const MAX_RETRY_MS = 15 * 60_000;
/** A Retry-After is honoured up to this long; a longer one is taken as this. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;
/** How often a healthy sync runs. */
export const PERIODIC_SYNC_MS = 15 * 60_000;

/**
 * The wait before try number `failures + 1`, given `failures` failures in a row (≥ 1).
 * @example retryDelay(1, () => 0.5) // → 2_000 (the ceiling is 4 s, the floor 2 s)
 */
export function retryDelay(failures: number, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** Math.max(1, Math.min(failures, 30)));
  const jittered = Math.max(MIN_RETRY_MS, Math.floor(random() * ceiling));
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** A Retry-After header (seconds, or an HTTP date) as milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
