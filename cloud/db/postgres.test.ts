// The same service against a real PostgreSQL server (Debian's `postgresql` package), started in a
// temporary folder for this test: migrations, and a smoke path through two instances sharing the
// database, as behind a load balancer. Skipped, saying so, only where the server binaries are absent.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSignedDocument, LicencePayloadSchema } from '../../shared/cloud/index.ts';
import { generateSigningKey, Keyring } from '../crypto/keys.ts';
import { openDatabase } from './database.ts';
import { migrate, MIGRATIONS } from './migrations.ts';
import { createOrganisation, freePort, operatorClient, publishFixture, startTestCloud, TestMachine, UsageChain, type TestCloud } from '../test-support.ts';

function findPostgres(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((version) => fs.existsSync(path.join(root, version, 'bin', 'postgres')) && fs.existsSync(path.join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

const bin = findPostgres();
if (!bin) console.warn('PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): the PostgreSQL test is skipped. On Debian: apt-get install postgresql');

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
const asRoot = process.getuid?.() === 0;
function run(command: string, args: string[]): void {
  const [file, fullArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin!, command), ...args]] : [path.join(bin!, command), args];
  execFileSync(file, fullArgs, { stdio: 'pipe', timeout: 60_000 });
}

describe.skipIf(!bin)('PostgreSQL', () => {
  let dir: string;
  let databaseUrl: string;
  const clouds: TestCloud[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-pg-'));
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      fs.chownSync(dir, uid, gid);
    }
    const port = await freePort();
    const data = path.join(dir, 'data');
    run('initdb', ['-D', data, '-U', 'plantdesk', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off`, 'start']);
    databaseUrl = `postgres://plantdesk@127.0.0.1:${port}/postgres`;
  }, 90_000);

  afterAll(async () => {
    for (const cloud of clouds) await cloud.close().catch(() => {});
    if (dir) {
      try {
        run('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      } catch {
        // Not started: nothing to stop.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates once when instances start together, then serves every path from two instances sharing the database', async () => {
    // Two instances migrating at once: one applies, the other waits on the lock and finds nothing to do.
    const [a, b] = await Promise.all([openDatabase({ url: databaseUrl }), openDatabase({ url: databaseUrl })]);
    const applied = await Promise.all([migrate(a), migrate(b)]);
    expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(a)).toEqual([]);
    await Promise.all([a.close(), b.close()]);

    const keys = new Keyring(generateSigningKey());
    const operatorToken = 'pg-operator-token-for-the-test';
    const first = await startTestCloud({ databaseUrl, keys, operatorToken });
    clouds.push(first);
    const second = await startTestCloud({ databaseUrl, keys, operatorToken });
    clouds.push(second);
    expect(((await (await fetch(`${first.url}/health`)).json()) as { engine: string }).engine).toBe('postgres');

    // Made through one instance, used through the other.
    const { templateId } = await publishFixture(first, { publisher: 'acme' });
    const organisation = await createOrganisation(second, 'PostgreSQL Works');
    const machine = await TestMachine.activate(first, organisation.activationCode);
    const onSecond = Object.assign(new TestMachine(second.url), { id: machine.id, privateKey: machine.privateKey });
    const listing = await fetch(`${second.url}/v1/catalogue/templates`);
    expect(((await listing.json()) as any).templates.map((t: { id: string }) => t.id)).toEqual([templateId]);
    const etag = listing.headers.get('etag')!;
    expect((await fetch(`${first.url}/v1/catalogue/templates`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const order = await onSecond.request('POST', '/v1/orders', { templateId, planId: 'metered' });
    expect(order.status).toBe(201);
    const licences = (await machine.request('POST', '/v1/licences/refresh', {})).body.licences;
    expect(checkSignedDocument(licences[0], 'licence', LicencePayloadSchema, keys.checker).status).toBe('valid');

    // A nonce spent on one instance is spent on all.
    const headers = machine.sign('GET', '/v1/machines/me', '');
    expect((await machine.raw('GET', '/v1/machines/me', headers)).status).toBe(200);
    expect((await onSecond.raw('GET', '/v1/machines/me', headers)).body.error.code).toBe('replayed');

    // The same batch at both instances at once: stored once.
    const chain = new UsageChain(templateId);
    const batch = { batchId: 'pg-batch-000001', records: Array.from({ length: 10 }, (_, i) => chain.next(60, Date.now() - (12 - i) * 3_600_000)) };
    const answers = await Promise.all([machine, onSecond, machine, onSecond].map((m) => m.request('POST', '/v1/sync/usage', batch)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((answer) => answer.body.stored.length).sort()).toEqual([0, 0, 0, 10]);
    const gap = await onSecond.request('POST', '/v1/sync/usage', { batchId: 'pg-batch-000002', records: [chain.next(1, Date.now() - 3_600_000), chain.next(1, Date.now())].slice(1) });
    expect(gap.body.error).toMatchObject({ code: 'sequence_gap', details: { highestSequence: 10 } });

    const subscription = await machine.request('POST', '/v1/orders', { templateId, planId: 'standard', paymentMethod: 'test' });
    expect(subscription.body.invoice).toMatchObject({ status: 'paid', lines: [expect.objectContaining({ amount: 29_900 })] });
    const invoices = await operatorClient(second).request('GET', '/v1/operator/invoices');
    expect(invoices.body.invoices).toEqual([expect.objectContaining({ id: subscription.body.invoice.id, lines: [expect.objectContaining({ quantity: 1 })] })]);

    // Rate limits count in the database: a client spreading requests over two instances gets one allowance.
    const strictA = await startTestCloud({ databaseUrl, keys, operatorToken, rateLimit: { max: 4, windowMs: 60_000 } });
    clouds.push(strictA);
    const strictB = await startTestCloud({ databaseUrl, keys, operatorToken, rateLimit: { max: 4, windowMs: 60_000 } });
    clouds.push(strictB);
    const statuses = [];
    for (const url of [strictA.url, strictB.url, strictA.url, strictB.url, strictA.url, strictB.url]) {
      statuses.push((await fetch(`${url}/v1/keys`, { headers: { authorization: 'Bearer a-client-of-its-own' } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  }, 60_000);
});
