import { describe, expect, it } from 'vitest';
import { historyRange, localInputValue, parseLocalInput } from './history-range.ts';

describe('history ranges', () => {
  it('presets end now', () => {
    expect(historyRange('24h', 100_000_000)).toEqual({ from: 100_000_000 - 86_400_000, to: 100_000_000 });
  });

  it('reads back what it writes into a datetime-local input, to the minute', () => {
    const ts = new Date(2026, 4, 4, 14, 5).getTime();
    expect(localInputValue(ts)).toBe('2026-05-04T14:05');
    expect(parseLocalInput('2026-05-04T14:05')).toBe(ts);
    expect(parseLocalInput('')).toBeNull();
    expect(parseLocalInput('yesterday')).toBeNull();
  });
});
