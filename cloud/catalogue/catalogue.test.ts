import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueListingSchema, checkSignedDocument, ControlListPayloadSchema } from '../../shared/cloud/index.ts';
import { fixturePlans, operatorClient, publishFixture, startTestCloud, TINY_PNG, type TestCloud } from '../test-support.ts';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await publishFixture(cloud, { publisher: 'shop', name: 'cnc-oee', categories: ['oee'], appVersions: '>=0.1.0 <1.0.0' });
  await publishFixture(cloud, { publisher: 'shop', name: 'cnc-oee', version: '2.0.0', categories: ['oee'], appVersions: '>=1.0.0' }, []);
  await publishFixture(
    cloud,
    { publisher: 'shop', name: 'meters', categories: ['energy'], title: { 'zh-CN': '正泰电表能耗计量', en: 'Energy metering for Chint meters' } },
    fixturePlans().filter((plan) => plan.kind === 'subscription'),
  );
  await publishFixture(cloud, { publisher: 'other', name: 'compressor', categories: ['maintenance'], title: { 'zh-CN': '空压机健康', en: 'Air compressor health' } }, []);
});
afterAll(async () => {
  await cloud?.close();
});

async function list(query = '', headers: Record<string, string> = {}) {
  const response = await fetch(`${cloud.url}/v1/catalogue/templates${query}`, { headers });
  return { status: response.status, etag: response.headers.get('etag'), body: response.status === 200 ? ((await response.json()) as any) : undefined };
}
const ids = (body: any) => body.templates.map((entry: { id: string }) => entry.id);

describe('catalogue', () => {
  it('lists every template with versions, both languages, screenshots and plans', async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(CatalogueListingSchema.parse(body)).toBeTruthy();
    expect(body.total).toBe(3);
    const oee = body.templates.find((entry: { id: string }) => entry.id === 'shop.cnc-oee');
    expect(oee.latest.version).toBe('2.0.0');
    expect(oee.versions.map((v: { version: string }) => v.version)).toEqual(['2.0.0', '1.0.0']);
    expect(oee.name).toEqual({ 'zh-CN': 'CNC 单元 OEE', en: 'OEE for a CNC cell' });
    expect(oee.plans.map((plan: { kind: string }) => plan.kind)).toEqual(['trial', 'subscription', 'pay_after_use', 'pay_for_results']);
    const screenshot = await fetch(`${cloud.url}${oee.screenshots[0].url}`);
    expect(screenshot.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await screenshot.arrayBuffer())).toEqual(TINY_PNG);
  });

  it('searches in either language and filters by category, publisher, plan and app version', async () => {
    expect(ids((await list('?q=chint')).body)).toEqual(['shop.meters']);
    expect(ids((await list(`?q=${encodeURIComponent('空压机')}`)).body)).toEqual(['other.compressor']);
    expect(ids((await list('?q=CNC%20cell')).body)).toEqual(['shop.cnc-oee']);
    expect(ids((await list('?category=energy')).body)).toEqual(['shop.meters']);
    expect(ids((await list('?publisher=other')).body)).toEqual(['other.compressor']);
    expect(ids((await list('?plan=pay_for_results')).body)).toEqual(['shop.cnc-oee']);
    const old = (await list('?appVersion=0.5.0&q=oee')).body;
    expect(old.templates[0].latest.version).toBe('1.0.0');
    expect(old.templates[0].versions).toHaveLength(1);
    expect(ids((await list('?appVersion=1.2.0')).body)).toEqual(['shop.cnc-oee']);
    const page = (await list('?limit=1&offset=1')).body;
    expect(page.templates).toHaveLength(1);
    expect(page.total).toBe(3);
  });

  it('refuses bad filters with a readable 400', async () => {
    const answer = await fetch(`${cloud.url}/v1/catalogue/templates?plan=free&limit=0`);
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as any;
    expect(body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(['query.plan', 'query.limit']);
  });

  it('answers 304 to an app whose copy is current, and 200 once something changed', async () => {
    const first = await list('?category=oee');
    expect(first.etag).toMatch(/^"c\d+-[0-9a-f]{16}"$/);
    const again = await list('?category=oee', { 'if-none-match': first.etag! });
    expect(again.status).toBe(304);
    // Another query has its own tag.
    expect((await list('?category=energy', { 'if-none-match': first.etag! })).status).toBe(200);

    await operatorClient(cloud).request('PUT', '/v1/operator/templates/shop.cnc-oee/plans', { plans: fixturePlans().slice(0, 2) });
    const changed = await list('?category=oee', { 'if-none-match': first.etag! });
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(first.etag);
    expect(changed.body.templates[0].plans).toHaveLength(2);
    expect((await list('?category=oee', { 'if-none-match': changed.etag! })).status).toBe(304);
  });

  it('shows one template, and 404 for one that does not exist', async () => {
    const one = await fetch(`${cloud.url}/v1/catalogue/templates/other.compressor`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as any).publisher.id).toBe('other');
    const etag = one.headers.get('etag')!;
    expect((await fetch(`${cloud.url}/v1/catalogue/templates/other.compressor`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const none = await fetch(`${cloud.url}/v1/catalogue/templates/other.nothing`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as any).error.code).toBe('not_found');
  });

  it('revokes and deprecates versions through a signed control list, and hides revoked ones', async () => {
    await publishFixture(cloud, { publisher: 'other', name: 'revocable' }, []);
    await publishFixture(cloud, { publisher: 'other', name: 'revocable', version: '1.0.1' }, []);
    const before = await fetch(`${cloud.url}/v1/catalogue/control-list`);
    const beforeTag = before.headers.get('etag')!;
    const operator = operatorClient(cloud);
    const revoked = await operator.request('POST', '/v1/operator/templates/other.revocable/versions/1.0.1/status', { status: 'revoked', reason: 'Wrong register map for DTSU666' });
    expect(revoked.status).toBe(200);
    await operator.request('POST', '/v1/operator/templates/other.revocable/versions/1.0.0/status', { status: 'deprecated', reason: 'Update to 1.0.2' });

    const entry = (await (await fetch(`${cloud.url}/v1/catalogue/templates/other.revocable`)).json()) as any;
    expect(entry.latest.version).toBe('1.0.0');
    expect(entry.versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0']);

    const after = await fetch(`${cloud.url}/v1/catalogue/control-list`, { headers: { 'if-none-match': beforeTag } });
    expect(after.status).toBe(200);
    const { controlList } = (await after.json()) as { controlList: string };
    const check = checkSignedDocument(controlList, 'control-list', ControlListPayloadSchema, cloud.keys.checker);
    expect(check.status).toBe('valid');
    if (check.status !== 'valid') return;
    expect(check.payload.entries).toEqual([
      expect.objectContaining({ templateId: 'other.revocable', version: '1.0.0', status: 'deprecated', reason: 'Update to 1.0.2' }),
      expect.objectContaining({ templateId: 'other.revocable', version: '1.0.1', status: 'revoked', reason: 'Wrong register map for DTSU666' }),
    ]);
    expect((await fetch(`${cloud.url}/v1/catalogue/control-list`, { headers: { 'if-none-match': after.headers.get('etag')! } })).status).toBe(304);
    expect((await operator.request('POST', '/v1/operator/templates/other.revocable/versions/9.9.9/status', { status: 'revoked' })).status).toBe(404);
  });
});
