import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../cli.ts';
import { fixturePlans, startTestCloud, templatePackage, TestMachine, type TestCloud } from '../test-support.ts';

let cloud: TestCloud;
let tmp: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-cloud-cli-'));
});
afterAll(async () => {
  await cloud?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: { PLANTDESK_CLOUD_URL: cloud.url, PLANTDESK_OPERATOR_TOKEN: cloud.operatorToken }, out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('operator command line', () => {
  it('runs an organisation from creation to a paid invoice', async () => {
    const publisher = await cli('orgs', 'create', '--name', 'Acme Automation', '--publisher-id', 'acme', '--json');
    expect(publisher.code).toBe(0);
    const publisherId = JSON.parse(publisher.out).id;
    const packageFile = path.join(tmp, 'acme-oee.zip');
    fs.writeFileSync(packageFile, await templatePackage({ publisher: 'acme' }));
    const published = await cli('publish', '--org', publisherId, packageFile);
    expect(published.out).toMatch(/^Published acme\.cnc-oee 1\.0\.0 \(\d+ bytes, sha256 [0-9a-f]{64}\)\.$/);
    const plansFile = path.join(tmp, 'plans.json');
    fs.writeFileSync(plansFile, JSON.stringify(fixturePlans()));
    expect((await cli('plans', 'set', 'acme.cnc-oee', plansFile)).out).toMatch(/4 price plan\(s\): trial \(trial\), standard \(subscription\)/);

    const customer = await cli('orgs', 'create', '--name', '宁波精密机械');
    const customerId = customer.out.match(/organisation (org_\w+)/)![1]!;
    expect((await cli('orgs', 'list')).out).toContain(`${customerId}  宁波精密机械`);
    const code = (await cli('codes', 'create', '--org', customerId)).out.match(/code ([0-9A-Z-]{19})/)![1]!;
    const machine = await TestMachine.activate(cloud, code);
    const user = await cli('users', 'create', '--org', customerId, '--email', 'wang@nbpm.example', '--name', 'Wang', '--role', 'admin');
    expect(user.out).toMatch(/API token, shown this once: pdu_/);

    const order = await machine.request('POST', '/v1/orders', { templateId: 'acme.cnc-oee', planId: 'standard' });
    expect((await cli('invoices', 'list', '--status', 'open')).out).toContain(`${order.body.invoice.number}  ${customerId}  order  ¥299.00  open`);
    expect((await cli('invoices', 'confirm', order.body.invoice.number, '--reference', 'ICBC 0503')).out).toBe(`Invoice ${order.body.invoice.number} (¥299.00) is paid.`);
    expect((await machine.request('GET', '/v1/entitlements')).body.entitlements[0].status).toBe('active');
    expect((await cli('invoices', 'issue', '--month', '2020-01')).out).toBe('0 invoice(s) for 2020-01.');
    expect((await cli('machines', 'revoke', machine.id)).out).toBe(`Revoked machine ${machine.id}.`);
    expect((await cli('versions', 'deprecate', 'acme.cnc-oee', '1.0.0', '--reason', 'Use 1.1')).out).toBe('acme.cnc-oee 1.0.0 is deprecated.');
  });

  it('explains mistakes instead of failing with a stack trace', async () => {
    expect(await cli('orgs', 'create')).toMatchObject({ code: 1, err: 'Missing --name. See --help.' });
    expect(await cli('invoices', 'confirm', 'PD-2026-999999')).toMatchObject({ code: 1, err: 'There is no invoice PD-2026-999999.' });
    expect(await cli('frobnicate')).toMatchObject({ code: 1, err: expect.stringMatching(/Unknown command "frobnicate"/) });
    const bad = path.join(tmp, 'bad.zip');
    fs.writeFileSync(bad, await templatePackage({ publisher: 'acme', name: 'bad', files: { 'kpis/oee.json': '{' } }));
    const org = JSON.parse((await cli('orgs', 'list', '--json')).out).organisations.find((o: { publisherId: string }) => o.publisherId === 'acme').id;
    const refused = await cli('publish', '--org', org, bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/kpis\/oee.json is not valid JSON/);
    const offline = await runCli(['orgs', 'list'], { env: { PLANTDESK_CLOUD_URL: 'http://127.0.0.1:9', PLANTDESK_OPERATOR_TOKEN: 'x' }, out: () => {}, err: () => {} });
    expect(offline).toBe(1);
    expect((await cli('--help')).out).toMatch(/npm run cloud -- serve/);
  });

  it('makes keys and operator tokens', async () => {
    const keyFile = path.join(tmp, 'marketplace.pem');
    const made = await cli('keys', 'generate', '--out', keyFile);
    expect(made.out).toMatch(/Wrote the marketplace key [0-9a-f]{16}/);
    expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    expect((await cli('keys', 'show', '--key-file', keyFile)).out).toMatch(/^Key id [0-9a-f]{16}, public key [\w-]{43}$/);
    expect((await cli('operator-token')).out).toMatch(/^pdo_[\w-]{43}$/);
  });
});

describe('operator web page', () => {
  it('lists organisations, machines, entitlements, usage and invoices behind Basic auth, escaping what it shows', async () => {
    const page = (authorization?: string) => fetch(`${cloud.url}/operator`, { headers: authorization ? { authorization } : {} });
    const anonymous = await page();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="PlantDesk operator"/);
    expect((await page(`Basic ${Buffer.from('op:wrong').toString('base64')}`)).status).toBe(401);

    await cli('orgs', 'create', '--name', '<script>alert(1)</script> Works');
    const response = await page(`Basic ${Buffer.from(`operator:${cloud.operatorToken}`).toString('base64')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await response.text();
    for (const section of ['Organisations', 'Machines', 'Entitlements', 'Usage and results', 'Invoices', 'Chain incidents']) expect(html).toContain(`<h2>${section}`);
    expect(html).toContain('宁波精密机械');
    expect(html).toContain('acme.cnc-oee');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Works');
    expect(html).not.toContain('<script>');
  });
});

describe('npm run cloud -- serve', () => {
  it('serves from a data folder, keeping its marketplace key across restarts', async () => {
    const dataDir = path.join(tmp, 'served');
    const serveOnce = async () => {
      const child = spawn(process.execPath, ['cloud/cli.ts', 'serve', '--port', '0', '--data-dir', dataDir], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, PLANTDESK_OPERATOR_TOKEN: 'serve-test-token', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          output += String(chunk);
          const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
          if (match) resolve(match[1]!);
        });
        child.stderr.on('data', (chunk) => (output += String(chunk)));
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
      });
      const health = (await (await fetch(`${url}/health`)).json()) as { ok: boolean; engine: string };
      const keys = (await (await fetch(`${url}/v1/keys`)).json()) as { keys: { keyId: string }[] };
      const organisations = await fetch(`${url}/v1/operator/organisations`, { headers: { authorization: 'Bearer serve-test-token' } });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      return { health, keyId: keys.keys[0]!.keyId, organisations: organisations.status };
    };
    const first = await serveOnce();
    expect(first).toMatchObject({ health: { ok: true, engine: 'pglite' }, organisations: 200 });
    expect(fs.existsSync(path.join(dataDir, 'marketplace-key.pem'))).toBe(true);
    const second = await serveOnce();
    expect(second.keyId).toBe(first.keyId);
  }, 60_000);
});
