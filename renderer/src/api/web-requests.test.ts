import { describe, expect, it } from 'vitest';
import { buildCallRequest, errorBodyOf, eventsUrl, reconnectDelay, tokenFromSearch } from './web-requests.ts';

describe('web transport requests', () => {
  it('posts a call as JSON to /api/<name> in the UI language', () => {
    const { url, init } = buildCallRequest('points.list', { deviceId: 'demo-cnc1' }, { language: 'zh-CN', token: null });
    expect(url).toBe('/api/points.list');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body)).toEqual({ deviceId: 'demo-cnc1' });
    expect(init.headers['Accept-Language']).toBe('zh-CN');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(init.headers.Authorization).toBeUndefined();
  });

  it('sends the access token of a LAN tablet as a bearer token', () => {
    const { init } = buildCallRequest('app.info', {}, { language: 'en', token: 's3cr3t' });
    expect(init.headers.Authorization).toBe('Bearer s3cr3t');
  });

  it('reads the token from the page query string', () => {
    expect(tokenFromSearch('?token=abc%2B1&x=2')).toBe('abc+1');
    expect(tokenFromSearch('?token=')).toBeNull();
    expect(tokenFromSearch('')).toBeNull();
  });

  it('opens events on the same host, wss behind https, with the token in the query', () => {
    expect(eventsUrl({ protocol: 'http:', host: '127.0.0.1:8470' }, null)).toBe('ws://127.0.0.1:8470/api/events');
    expect(eventsUrl({ protocol: 'https:', host: 'plant-pc' }, 'a b')).toBe('wss://plant-pc/api/events?token=a%20b');
  });

  it('backs off from half a second to at most ten seconds', () => {
    const middle = () => 0.5;
    expect(reconnectDelay(0, middle)).toBe(500);
    expect(reconnectDelay(1, middle)).toBe(1000);
    expect(reconnectDelay(3, middle)).toBe(4000);
    expect(reconnectDelay(20, middle)).toBe(10_000);
    expect(reconnectDelay(20, () => 1)).toBe(12_000);
    expect(reconnectDelay(0, () => 0)).toBe(400);
  });

  it("keeps the core's error body and replaces anything else with a readable message", () => {
    const body = { error: { code: 'not_found', message: 'There is no device "x".' } };
    expect(errorBodyOf(404, body, 'fallback')).toEqual(body.error);
    expect(errorBodyOf(502, '<html>Bad gateway</html>', 'The core is not running.')).toEqual({
      code: 'unavailable',
      message: 'The core is not running.',
    });
    expect(errorBodyOf(401, null, 'token').code).toBe('unauthorized');
    expect(errorBodyOf(500, { error: { code: 'weird', message: 'x' } }, 'fallback')).toEqual({
      code: 'internal',
      message: 'fallback',
    });
  });
});
