import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { calls, type EventMessage } from '../../shared/index.ts';
import { silentLogger } from '../host.ts';
import { createCore, type Core } from '../index.ts';
import { createWebHost } from './web-host.ts';

let core: Core;
let base: string;
let closeHost: () => Promise<void>;
let dataDir: string;

async function post(name: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-web-'));
  core = await createCore({ host: { kind: 'web', dataDir, logger: silentLogger }, demoFixedPorts: false, checkOutputs: true });
  const app = await createWebHost({ core, logger: silentLogger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  closeHost = async () => {
    await app.close();
    await core.close();
  };
});

afterAll(async () => {
  await closeHost();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('web host', () => {
  it('answers a call with JSON, an empty body counting as empty input', async () => {
    const response = await fetch(`${base}/api/devices.list`, { method: 'POST' });
    expect(response.status).toBe(200);
    const devices = (await response.json()) as { id: string }[];
    expect(devices.map((device) => device.id)).toEqual(['demo-cnc1', 'demo-imm1', 'demo-meter1']);
  });

  it('refuses bad input with 400 and a readable sentence in the asked language', async () => {
    const english = await post('historian.query', { pointIds: [], from: 0, to: 1 }, { 'Accept-Language': 'en-GB,en' });
    expect(english.status).toBe(400);
    expect(english.body.error.code).toBe('invalid_input');
    expect(english.body.error.message).toContain('historian.query');
    expect(english.body.error.message).toContain('pointIds');
    const chinese = await post('historian.query', { pointIds: [], from: 0, to: 1 }, { 'Accept-Language': 'zh-CN' });
    expect(chinese.status).toBe(400);
    expect(chinese.body.error.message).toMatch(/输入无效/);
  });

  it('refuses unknown calls with 404, malformed JSON with 400, and unknown fields with 400', async () => {
    const unknown = await post('devices.explode', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const malformed = await post('points.list', '{"deviceId":', { 'Accept-Language': 'en' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/not valid JSON/);
    const extra = await post('devices.list', { surprise: true });
    expect(extra.status).toBe(400);
  });

  it('maps a missing device to 404 with its name in the message', async () => {
    const missing = await post('points.list', { deviceId: 'press-7' }, { 'Accept-Language': 'en' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('press-7');
  });

  it('describes every call of the contract in /api/openapi.json', async () => {
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as any;
    expect(spec.openapi).toBe('3.1.0');
    for (const name of Object.keys(calls)) {
      expect(spec.paths[`/api/${name}`].post.operationId).toBe(name);
    }
    expect(spec.paths['/api/historian.query'].post.requestBody.content['application/json'].schema.required).toContain('pointIds');
    expect(Object.keys(spec['x-plantdesk-events'])).toContain('samples.appended');
  });

  it('sends a strict Content-Security-Policy', async () => {
    const response = await fetch(`${base}/api/openapi.json`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('pushes live samples over the WebSocket /api/events', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/events`);
    const message = await new Promise<EventMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no event within 10 s')), 10_000);
      socket.on('message', (data) => {
        const parsed = JSON.parse(String(data)) as EventMessage;
        if (parsed.event === 'samples.appended' && parsed.payload.samples.length > 0) {
          clearTimeout(timer);
          resolve(parsed);
        }
      });
      socket.on('error', reject);
    });
    socket.close();
    if (message.event !== 'samples.appended') throw new Error('unexpected event');
    expect(message.payload.samples[0]?.pointId).toMatch(/^demo-/);
    expect(message.payload.samples.some((sample) => sample.quality === 'good')).toBe(true);
  });
});

describe('web host beyond this PC', () => {
  it('requires the access token when local clients are not trusted', async () => {
    const app = await createWebHost({ core, logger: silentLogger, token: 'tablet-secret', trustLocalClients: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/app.info`;
    try {
      const refused = await fetch(url, { method: 'POST', headers: { 'Accept-Language': 'en' } });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as any).error.message).toMatch(/access token/);
      const wrong = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer guess' } });
      expect(wrong.status).toBe(401);
      const allowed = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer tablet-secret' } });
      expect(allowed.status).toBe(200);
      expect(((await allowed.json()) as any).name).toBe('PlantDesk');
    } finally {
      await app.close();
    }
  });
});
