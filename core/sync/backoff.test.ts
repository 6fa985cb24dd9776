import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, MAX_RETRY_MS, MIN_RETRY_MS, parseRetryAfter, retryDelay } from './backoff.ts';

describe('back-off with full jitter', () => {
  it('draws each wait between 2 s and a ceiling that doubles per failure up to 15 min', () => {
    for (let failures = 1; failures <= 20; failures++) {
      const ceiling = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** failures);
      expect(retryDelay(failures, () => 0)).toBe(MIN_RETRY_MS);
      expect(retryDelay(failures, () => 0.999_999)).toBe(Math.max(MIN_RETRY_MS, Math.floor(0.999_999 * ceiling)));
      expect(retryDelay(failures, () => 0.5)).toBe(Math.max(MIN_RETRY_MS, Math.floor(ceiling / 2)));
    }
    expect(retryDelay(1, () => 0.999_999)).toBeLessThan(4_000);
    expect(retryDelay(5, () => 0.999_999)).toBeLessThan(64_000);
    expect(retryDelay(5, () => 0.999_999)).toBeGreaterThan(63_000);
    expect(retryDelay(40, () => 0.999_999)).toBeLessThanOrEqual(MAX_RETRY_MS);
  });

  it('spreads the waits of many machines failing together', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const waits = Array.from({ length: 1_000 }, () => retryDelay(10, random));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(MIN_RETRY_MS);
    expect(Math.max(...waits)).toBeLessThanOrEqual(MAX_RETRY_MS);
    // Full jitter: roughly uniform over the range, not bunched at the ceiling.
    const mean = waits.reduce((sum, wait) => sum + wait, 0) / waits.length;
    expect(mean).toBeGreaterThan(MAX_RETRY_MS * 0.4);
    expect(mean).toBeLessThan(MAX_RETRY_MS * 0.6);
  });

  it("never tries sooner than the cloud's Retry-After, up to an hour", () => {
    expect(retryDelay(1, () => 0, 120_000)).toBe(120_000);
    expect(retryDelay(12, () => 0.999_999, 1_000)).toBe(Math.floor(0.999_999 * MAX_RETRY_MS));
    expect(retryDelay(1, () => 0, 5 * 3_600_000)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 4, 4, 8, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 04 May 2026 08:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('Mon, 04 May 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
