import { describe, expect, it } from 'vitest';
import type { EventMessage } from '../shared/index.ts';
import { CoreClient, restartDelayMs } from './core-client.ts';
import type { ToCore } from './core-messages.ts';

function fakePort() {
  const sent: ToCore[] = [];
  return { sent, postMessage: (message: ToCore) => sent.push(message) };
}

describe('CoreClient', () => {
  it('matches each answer to its call, whatever the order they arrive in', async () => {
    const client = new CoreClient(() => {});
    const port = fakePort();
    client.attach(port);
    const first = client.call('devices.list', {}, 'en');
    const second = client.call('app.info', {}, 'en');
    const [a, b] = port.sent as Extract<ToCore, { type: 'call' }>[];
    client.receive({ type: 'result', id: b!.id, result: { ok: true, value: 'info' } });
    client.receive({ type: 'result', id: a!.id, result: { ok: true, value: 'devices' } });
    expect(await first).toEqual({ ok: true, value: 'devices' });
    expect(await second).toEqual({ ok: true, value: 'info' });
    expect(client.pendingCount).toBe(0);
  });

  it('answers at once, in the caller’s language, when no core is running', async () => {
    const client = new CoreClient(() => {});
    const result = await client.call('devices.list', {}, 'zh-CN');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('unavailable');
      expect(result.error.message).toMatch(/核心未运行/);
    }
  });

  it('fails waiting calls when the core process dies, instead of leaving the UI hanging', async () => {
    const client = new CoreClient(() => {});
    client.attach(fakePort());
    const waiting = client.call('devices.list', {}, 'en');
    client.failAll();
    const result = await waiting;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/not running/);
    const after = await client.call('devices.list', {}, 'en');
    expect(after.ok).toBe(false);
  });

  it('times out a call the core never answers', async () => {
    const client = new CoreClient(() => {}, 50);
    client.attach(fakePort());
    const result = await client.call('historian.query', {}, 'en');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('timeout');
      expect(result.error.message).toContain('historian.query');
    }
  });

  it('hands events to the window and ignores answers to unknown calls', () => {
    const seen: EventMessage[] = [];
    const client = new CoreClient((message) => seen.push(message));
    const event: EventMessage = { event: 'samples.appended', payload: { samples: [] } };
    client.receive({ type: 'event', message: event });
    client.receive({ type: 'result', id: 999, result: { ok: true, value: 1 } });
    expect(seen).toEqual([event]);
  });

  it('backs off restarts from 1 s doubling to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
