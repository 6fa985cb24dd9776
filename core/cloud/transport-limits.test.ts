// What the transport refuses to follow or read: a redirect (it would carry the machine's signature
// headers elsewhere) and an answer larger than the limit (it would fill the memory).
import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudUnreachable, HttpTransport } from './transport.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: http.RequestListener): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    hits.push(`${request.url} ${request.headers['x-plantdesk-signature'] ? 'signed' : 'unsigned'}`);
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, hits };
}

const signer = { machineId: 'mch_000000000000000000000001', privateKey: crypto.generateKeyPairSync('ed25519').privateKey };

describe('the cloud transport', () => {
  it('does not follow a redirect with the signature headers', async () => {
    const elsewhere = await serve((_request, response) => response.end('{}'));
    const cloud = await serve((_request, response) => response.writeHead(302, { location: `${elsewhere.url}/steal` }).end());
    const transport = new HttpTransport({ baseUrl: () => cloud.url, signer: () => signer });
    await expect(transport.request({ method: 'GET', path: '/v1/time', signed: true })).rejects.toBeInstanceOf(CloudUnreachable);
    expect(cloud.hits).toEqual(['/v1/time signed']);
    expect(elsewhere.hits).toEqual([]);
  });

  it('refuses an answer larger than the limit, declared or streamed', async () => {
    const declared = await serve((_request, response) => response.writeHead(200, { 'content-length': '5000', 'content-type': 'application/zip' }).end(Buffer.alloc(5000)));
    const streamed = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/zip' });
      for (let chunk = 0; chunk < 10; chunk++) response.write(Buffer.alloc(1000));
      response.end();
    });
    for (const { url } of [declared, streamed]) {
      const transport = new HttpTransport({ baseUrl: () => url, signer: () => undefined, maxAnswerBytes: 4096 });
      const refused = await transport.request({ method: 'GET', path: '/package', binary: true }).then(() => null, (error: unknown) => error as CloudUnreachable);
      expect(refused).toBeInstanceOf(CloudUnreachable);
      expect(refused!.message).toContain('larger than 4096 bytes');
    }
    const small = new HttpTransport({ baseUrl: () => streamed.url, signer: () => undefined, maxAnswerBytes: 20_000 });
    expect(((await small.request<Buffer>({ method: 'GET', path: '/package', binary: true })).body).length).toBe(10_000);
  });
});
