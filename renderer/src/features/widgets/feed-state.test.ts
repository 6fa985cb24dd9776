import { describe, expect, it } from 'vitest';
import { LOADING_FEED, nextFeed } from './feed-state.ts';
import { machine, overview } from './test-overview.ts';

describe('a period feed', () => {
  it('keeps unchanged machines identical across answers, so only the changed card redraws', () => {
    const first = nextFeed(LOADING_FEED, { kind: 'ok', value: overview([machine('a'), machine('b')]) });
    expect(first.status).toBe('ready');
    const changedB = overview([machine('a'), machine('b', { state: 'stopped' })]);
    const second = nextFeed(first, { kind: 'ok', value: changedB });
    expect(second.machinesById.a).toBe(first.machinesById.a);
    expect(second.machinesById.b).not.toBe(first.machinesById.b);
    expect(second.machinesById.b!.state).toBe('stopped');
    // The same answer again changes nothing at all.
    expect(nextFeed(second, { kind: 'ok', value: structuredClone(changedB) })).toBe(second);
  });

  it('keeps the last figures on screen when a read fails, and says why', () => {
    const ready = nextFeed(LOADING_FEED, { kind: 'ok', value: overview([machine('a')]) });
    const failed = nextFeed(ready, { kind: 'failed', code: 'timeout', message: 'The core did not answer.' });
    expect(failed.status).toBe('failed');
    expect(failed.overview).toBe(ready.overview);
    expect(failed.error).toBe('The core did not answer.');
    expect(nextFeed(failed, { kind: 'failed', code: 'timeout', message: 'The core did not answer.' })).toBe(failed);
  });

  it('says the KPI engine is not there when the core does not know the call', () => {
    const unavailable = nextFeed(LOADING_FEED, { kind: 'unavailable' });
    expect(unavailable).toMatchObject({ status: 'unavailable', overview: null });
    expect(nextFeed(unavailable, { kind: 'unavailable' })).toBe(unavailable);
  });
});
