import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_LIMITS } from '../../shared/cloud/index.ts';
import { publicKeyFromRaw, verifyEd25519 } from '../crypto/keys.ts';
import { operatorClient, publishFixture, startTestCloud, templatePackage, type TestCloud } from '../test-support.ts';
import { verifyPackageZip } from './verify.ts';
import { readPackageZip, writePackageZip } from './zip.ts';
import type { SignatureChecker } from '../../shared/cloud/index.ts';

let cloud: TestCloud;
let publisherOrg: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  publisherOrg = (await operatorClient(cloud).request('POST', '/v1/operator/organisations', { name: 'Acme Automation', publisherId: 'acme' })).body.id;
});
afterAll(async () => {
  await cloud?.close();
});

/** What an app has: the marketplace's public key from GET /v1/keys, nothing else. */
async function appChecker(): Promise<SignatureChecker> {
  const { keys } = (await (await fetch(`${cloud.url}/v1/keys`)).json()) as { keys: { keyId: string; publicKey: string }[] };
  return (keyId, message, signature) => {
    const known = keys.find((key) => key.keyId === keyId);
    if (!known) return 'unknown_key';
    return verifyEd25519(publicKeyFromRaw(known.publicKey)!, message, signature) ? 'valid' : 'invalid';
  };
}

const upload = (zip: Buffer | Uint8Array, organisationId = publisherOrg) => operatorClient(cloud).request('POST', `/v1/operator/organisations/${organisationId}/packages`, zip);

/** A zip whose entry names are patched afterwards, to make names no zip writer would write. */
async function zipWithRawName(placeholder: string, name: string): Promise<Buffer> {
  const zip = await templatePackage({ publisher: 'acme', files: { [placeholder]: '{}' } });
  return Buffer.from(zip.toString('latin1').replaceAll(placeholder, name), 'latin1');
}

describe('publishing', () => {
  it('signs a checked package so that an app holding only the public key can verify every file', async () => {
    const published = await upload(await templatePackage({ publisher: 'acme', name: 'energy' }));
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ templateId: 'acme.energy', version: '1.0.0' });
    expect(published.body.signature).toMatch(/^package\./);

    const download = await fetch(`${cloud.url}/v1/catalogue/templates/acme.energy/versions/1.0.0/package`);
    expect(download.status).toBe(200);
    const zip = Buffer.from(await download.arrayBuffer());
    const verdict = await verifyPackageZip(zip, await appChecker());
    expect(verdict.status).toBe('valid');
    if (verdict.status !== 'valid') return;
    expect(verdict.payload.files.map((file) => file.path)).toEqual(['dashboards/oee.json', 'kpis/oee.json', 'manifest.json', 'screenshots/overview.png']);
    expect(verdict.payload.organisationId).toBe(publisherOrg);

    // Any change to a file, or a file slipped in, fails verification.
    const files = await readPackageZip(zip);
    files.set('kpis/oee.json', Buffer.from('{"id":"oee","expression":"1"}'));
    expect((await verifyPackageZip(await writePackageZip(files), await appChecker())).status).toBe('invalid');
    const extra = await readPackageZip(zip);
    extra.set('kpis/extra.json', Buffer.from('{}'));
    expect(await verifyPackageZip(await writePackageZip(extra), await appChecker())).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/not listed/) });
  });

  it('never changes a published version', async () => {
    const first = await upload(await templatePackage({ publisher: 'acme', name: 'immutable' }));
    expect(first.status).toBe(201);
    const changed = await upload(await templatePackage({ publisher: 'acme', name: 'immutable', files: { 'kpis/oee.json': '{"id":"oee","expression":"2"}' } }));
    expect(changed.status).toBe(409);
    expect(changed.body.error.message).toMatch(/never changes/);
    expect(changed.body.error.details.sha256).toBe(first.body.sha256);
    const held = await fetch(`${cloud.url}/v1/catalogue/templates/acme.immutable/versions/1.0.0/package`);
    expect(held.headers.get('etag')).toBe(`"${first.body.sha256}"`);
    expect((await upload(await templatePackage({ publisher: 'acme', name: 'immutable', version: '1.0.1' }))).status).toBe(201);
  });

  it('refuses packages that are not what they claim, saying what is wrong', async () => {
    const cases: [string, Buffer | Uint8Array, RegExp][] = [
      ['not a zip', Buffer.from('hello'), /not a readable zip/],
      ['no manifest', await templatePackage({ publisher: 'acme', files: { 'manifest.json': null } }), /no manifest.json/],
      ['bad manifest', await templatePackage({ publisher: 'acme', manifest: { version: 'one', name: { en: 'x' } } }), /manifest.version/],
      ['someone else’s publisher id', await templatePackage({ publisher: 'other' }), /publisher id "acme"/],
      ['a script', await templatePackage({ publisher: 'acme', files: { 'kpis/run.js': 'process.exit()' } }), /kpis\/run.js/],
      ['a missing file', await templatePackage({ publisher: 'acme', files: { 'dashboards/oee.json': null } }), /named in the manifest but not in the package/],
      ['broken JSON', await templatePackage({ publisher: 'acme', files: { 'kpis/oee.json': '{oops' } }), /kpis\/oee.json is not valid JSON/],
      ['a fake screenshot', await templatePackage({ publisher: 'acme', files: { 'screenshots/overview.png': 'GIF89a' } }), /not a PNG/],
      ['a signature of its own', await templatePackage({ publisher: 'acme', files: { 'package.sig': 'package.x.y' } }), /upload it unsigned/],
      ['a path leaving the package', await zipWithRawName('xx/evil.json', '../evil.json'), /not allowed/],
      ['a backslash path', await zipWithRawName('xx/evil.json', 'xx\\evil.json'), /not allowed/],
      ['a bad semver range', await templatePackage({ publisher: 'acme', appVersions: 'soon' }), /appVersions/],
    ];
    for (const [label, zip, message] of cases) {
      const answer = await upload(zip);
      expect(answer.status, label).toBe(400);
      expect(answer.body.error.code, label).toBe('invalid_input');
      expect(`${answer.body.error.message} ${JSON.stringify(answer.body.error.details ?? {})}`, label).toMatch(message);
    }
  });

  it('refuses symbolic links and names that differ only in case', async () => {
    const link = new yazl.ZipFile();
    link.addBuffer(Buffer.from('{}'), 'manifest.json');
    link.addBuffer(Buffer.from('/etc/passwd'), 'kpis/oee.json', { mode: 0o120777 });
    link.end();
    const chunks: Buffer[] = [];
    for await (const chunk of link.outputStream) chunks.push(chunk as Buffer);
    const linked = await upload(Buffer.concat(chunks));
    expect(linked.status).toBe(400);
    expect(linked.body.error.message).toMatch(/symbolic link/);

    const twice = await upload(await templatePackage({ publisher: 'acme', files: { 'KPIS/OEE.json': '{}' } }));
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toMatch(/appears twice/);
  });

  it('refuses an upload over the size limit with 413 before reading it', async () => {
    const answer = await upload(Buffer.alloc(PACKAGE_LIMITS.maxPackageBytes + 1024));
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('payload_too_large');
  });

  it('lets a publisher admin publish with a user token, and nobody publish under another publisher', async () => {
    const operator = operatorClient(cloud);
    const admin = (await operator.request('POST', `/v1/operator/organisations/${publisherOrg}/users`, { email: 'admin@acme.example', name: 'Admin', role: 'admin' })).body.token;
    const member = (await operator.request('POST', `/v1/operator/organisations/${publisherOrg}/users`, { email: 'member@acme.example', name: 'Member' })).body.token;
    const post = (token: string, zip: Buffer) =>
      fetch(`${cloud.url}/v1/publisher/packages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' }, body: zip });
    expect((await post(admin, await templatePackage({ publisher: 'acme', name: 'by-admin' }))).status).toBe(201);
    expect((await post(member, await templatePackage({ publisher: 'acme', name: 'by-member' }))).status).toBe(403);

    const plain = (await operator.request('POST', '/v1/operator/organisations', { name: 'Just a factory' })).body.id;
    expect((await upload(await templatePackage({ publisher: 'acme', name: 'x' }), plain)).status).toBe(403);
    const rival = (await operator.request('POST', '/v1/operator/organisations', { name: 'Rival', publisherId: 'rival' })).body.id;
    const rivalUpload = await upload(await templatePackage({ publisher: 'acme', name: 'energy', version: '9.0.0' }), rival);
    expect(rivalUpload.status).toBe(400);
  });

  it('checks price plans against the template', async () => {
    const { templateId } = await publishFixture(cloud, { publisher: 'acme', name: 'planned' });
    const operator = operatorClient(cloud);
    const wrongMeter = await operator.request('PUT', `/v1/operator/templates/${templateId}/plans`, {
      plans: [{ id: 'm', kind: 'pay_after_use', name: { 'zh-CN': '计量', en: 'Metered' }, currency: 'CNY', meter: 'litres', unitPrice: { amount: 1, per: 1 }, creditLimit: 100 }],
    });
    expect(wrongMeter.status).toBe(400);
    expect(wrongMeter.body.error.message).toMatch(/no meter "litres"/);
    const noPrice = await operator.request('PUT', `/v1/operator/templates/${templateId}/plans`, { plans: [{ id: 's', kind: 'subscription', name: { 'zh-CN': '订', en: 'Sub' }, currency: 'CNY' }] });
    expect(noPrice.status).toBe(400);
    expect(noPrice.body.error.message).toMatch(/monthly or a yearly price/);
  });
});
