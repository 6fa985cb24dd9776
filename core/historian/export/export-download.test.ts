// The export calls through the whole stack: a core and its web host over real HTTP. The file comes
// back from GET /api/exports/<jobId> as a download with its (Chinese) name, under the same access
// rules as the calls; progress arrives on the WebSocket like every other event.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventMessage, ExportProgress } from '../../../shared/index.ts';
import { silentLogger } from '../../host.ts';
import { createCore, type Core } from '../../index.ts';
import { makeTempDir, removeDir, waitFor } from '../../test-support.ts';
import { createWebHost } from '../../web-host/web-host.ts';
import { openTestPlant } from './export-test-plant.ts';

const T0 = Date.UTC(2026, 4, 4, 0, 0, 0);
const ROWS = 20_000;

let dataDir: string;
let core: Core;
let base: string;
let close: () => Promise<void>;

async function post(name: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  dataDir = makeTempDir('plantdesk-export-web-');
  // History recorded before this start: the core finds the points and their samples in the file.
  const plant = openTestPlant(dataDir);
  plant.addSamples('press1.temp', Array.from({ length: ROWS }, (_, index) => [T0 + index * 1000, index / 4] as const));
  plant.db.close();
  core = await createCore({ host: { kind: 'web', dataDir, logger: silentLogger }, demo: false, checkOutputs: true });
  const app = await createWebHost({ core, logger: silentLogger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  close = async () => {
    await app.close();
    await core.close();
  };
});

afterAll(async () => {
  await close();
  removeDir(dataDir);
});

/** Starts an export over HTTP and polls its status until it is done. */
async function exportOverHttp(input: Record<string, unknown>): Promise<string> {
  const started = await post('historian.startExport', {
    pointIds: ['press1.temp'],
    from: T0,
    to: T0 + ROWS * 1000,
    timeZone: 'Asia/Shanghai',
    ...input,
  });
  expect(started.status).toBe(200);
  const { jobId } = started.body as { jobId: string };
  await waitFor(async () => (await post('historian.exportStatus', { jobId })).body.state === 'done', 15_000, { what: 'the export to finish' });
  return jobId;
}

describe('export over HTTP', () => {
  it('streams the finished file from GET /api/exports/<jobId> with its name, type and length', async () => {
    const jobId = await exportOverHttp({ format: 'csv', layout: 'long' });
    const status = (await post('historian.exportStatus', { jobId }, { 'Accept-Language': 'en' })).body;
    expect(status).toMatchObject({ jobId, state: 'done', rowsWritten: ROWS, totalRowsEstimate: ROWS, error: null });

    const response = await fetch(`${base}/api/exports/${jobId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="___ 1 2026-05-04 0800 - 2026-05-04 1333.csv"; filename*=UTF-8''${encodeURIComponent(status.fileName)}`,
    );
    expect(status.fileName).toBe('冲压机 1 2026-05-04 0800 - 2026-05-04 1333.csv');
    expect(Number(response.headers.get('content-length'))).toBe(status.sizeBytes);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals(fs.readFileSync(core.exports.file(jobId).path))).toBe(true);
    const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[1]).toBe('2026-05-04 08:00:00.000,冲压机 1,油温,0,°C,good');

    // The same file inside JSON, for the desktop app.
    const inline = await post('historian.downloadExport', { jobId });
    expect(inline.status).toBe(200);
    expect(Buffer.from(inline.body.contentBase64, 'base64').equals(bytes)).toBe(true);
  });

  it('sends an Excel file as an Excel download', async () => {
    const jobId = await exportOverHttp({ format: 'xlsx', resolution: '1m' });
    const response = await fetch(`${base}/api/exports/${jobId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''.*\.xlsx$/);
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('answers an unknown or malformed job with 404 and a sentence, and checks the input of the calls', async () => {
    const unknown = await fetch(`${base}/api/exports/00000000-0000-4000-8000-000000000000`, { headers: { 'Accept-Language': 'en' } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.message).toMatch(/There is no export/);
    const traversal = await fetch(`${base}/api/exports/..%2F..%2Fplantdesk.db`);
    expect(traversal.status).toBe(404);
    const tooMany = await post('historian.startExport', { pointIds: Array.from({ length: 201 }, (_, index) => `p${index}`), from: 0, to: 1 });
    expect(tooMany.status).toBe(400);
    const badZone = await post('historian.startExport', { pointIds: ['press1.temp'], from: 0, to: 1, timeZone: 'Beijing' }, { 'Accept-Language': 'zh-CN' });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.message).toContain('Beijing');
  });

  it('pushes export.progressed over the WebSocket, ending with done', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/events`);
    await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
    const seen: ExportProgress[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as EventMessage;
      if (message.event === 'export.progressed') seen.push(message.payload);
    });
    const jobId = await exportOverHttp({ format: 'csv' });
    await waitFor(() => seen.some((progress) => progress.jobId === jobId && progress.state === 'done'), 5000, { what: 'the done event' });
    socket.close();
    expect(seen.filter((progress) => progress.jobId === jobId).at(-1)).toEqual({ jobId, state: 'done', rowsWritten: ROWS, totalRowsEstimate: ROWS });
  });
});

describe('export downloads beyond this PC', () => {
  it('need the access token, which a plain link can carry as ?token=', async () => {
    const jobId = await exportOverHttp({ format: 'csv' });
    const app = await createWebHost({ core, logger: silentLogger, token: 'tablet-secret', tokenRole: 'viewer', trustLocalClients: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/exports/${jobId}`;
    try {
      const refused = await fetch(url, { headers: { 'Accept-Language': 'en' } });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as any).error.message).toMatch(/access token/);
      const wrong = await fetch(`${url}?token=guess`);
      expect(wrong.status).toBe(401);
      await wrong.arrayBuffer();
      const withQuery = await fetch(`${url}?token=tablet-secret`);
      expect(withQuery.status).toBe(200);
      expect(withQuery.headers.get('content-disposition')).toMatch(/^attachment; /);
      await withQuery.arrayBuffer();
      const withHeader = await fetch(url, { headers: { Authorization: 'Bearer tablet-secret' } });
      expect(withHeader.status).toBe(200);
      await withHeader.arrayBuffer();
    } finally {
      await app.close();
    }
  });
});
