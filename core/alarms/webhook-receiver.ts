// A stand-in for the WeCom, DingTalk and Feishu robot endpoints, for tests: an HTTP server on
// 127.0.0.1 that records every request and answers as the real ones do (or as a test tells it to).
// Never imported by the core itself.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  query: URLSearchParams;
  body: unknown;
  receivedAt: number;
}

/** What to answer a request with: an HTTP status and a JSON body. */
export type Answer = { status: number; body: unknown };

export interface WebhookReceiver {
  base: string;
  requests: ReceivedRequest[];
  /** Answers for the next requests, in order; after them every request gets `{errcode:0}` (or Feishu's `{code:0}`). */
  answers: Answer[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const answers: Answer[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      requests.push({ path: url.pathname, query: url.searchParams, body, receivedAt: Date.now() });
      const answer = answers.shift() ?? { status: 200, body: url.pathname.includes('/hook/') ? { code: 0, msg: 'success', data: {} } : { errcode: 0, errmsg: 'ok' } };
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
