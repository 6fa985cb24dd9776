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

  it('holds calls made before the core has started, and sends them once it is ready', async () => {
    const client = new CoreClient(() => {});
    const early = client.call('devices.list', {}, 'en');
    const port = fakePort();
    client.attach(port);
    const sent = port.sent[0] as Extract<ToCore, { type: 'call' }>;
    expect(sent.name).toBe('devices.list');
    client.receive({ type: 'result', id: sent.id, result: { ok: true, value: [] } });
    expect(await early).toEqual({ ok: true, value: [] });
  });

  it('says in the caller’s language that the core is not running when it never comes', async () => {
    const client = new CoreClient(() => {}, 50);
    const result = await client.call('devices.list', {}, 'zh-CN');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('unavailable');
      expect(result.error.message).toMatch(/核心未运行/);
    }
  });

  it('fails the calls a dying core had, instead of leaving the UI hanging, and waits for the next one', async () => {
    const client = new CoreClient(() => {}, 50);
    client.attach(fakePort());
    const waiting = client.call('devices.list', {}, 'en');
    client.failAll();
    const result = await waiting;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/not running/);
    const restarted = fakePort();
    const after = client.call('devices.list', {}, 'en');
    client.attach(restarted);
    expect(restarted.sent).toHaveLength(1);
    client.receive({ type: 'result', id: (restarted.sent[0] as Extract<ToCore, { type: 'call' }>).id, result: { ok: true, value: 1 } });
    expect(await after).toEqual({ ok: true, value: 1 });
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
