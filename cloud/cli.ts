// The operator's command line: `npm run cloud -- <command>`. `serve` runs the platform; the other
// commands talk to a running one over HTTP with the operator token, so they work the same against
// PGlite in a folder and against a shared PostgreSQL. `--help` lists everything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { generateSigningKey, keyIdOf, publicKeyFromRaw, randomToken, signingKeyFromPem, signingKeyToPem } from './crypto/keys.ts';
import type { MarketplaceKey } from '../shared/cloud/index.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { startCloud } from './index.ts';

const HELP = `PlantDesk cloud platform — operator commands

  npm run cloud -- serve [--host 127.0.0.1] [--port 8480] [--data-dir DIR]
      Runs the platform. PGlite in DIR (default ~/.plantdesk-cloud), or PostgreSQL when
      DATABASE_URL is set. Reads PLANTDESK_OPERATOR_TOKEN, PLANTDESK_MARKETPLACE_KEY_FILE,
      PLANTDESK_BANK_NAME / _ACCOUNT / _ACCOUNT_NAME, PLANTDESK_TEST_PAYMENTS=1 (never in production),
      PLANTDESK_TRUST_PROXY=1 (behind a load balancer), PLANTDESK_MARKETPLACE_NEXT_KEYS (public keys
      announced before a key rotation, comma-separated).
  npm run cloud -- migrate [--data-dir DIR]        apply the database migrations and exit
  npm run cloud -- operator-token                  print a new operator token (set it as PLANTDESK_OPERATOR_TOKEN)
  npm run cloud -- keys generate --out FILE        write a new marketplace key (Ed25519, PKCS#8 PEM)
  npm run cloud -- keys show [--key-file FILE]     print a key's id and public key

Against a running platform (PLANTDESK_CLOUD_URL, default http://127.0.0.1:8480, and PLANTDESK_OPERATOR_TOKEN):
  orgs create --name NAME [--publisher-id ID]      create an organisation (a publisher with --publisher-id)
  orgs list
  codes create --org ORG [--days N]                a one-time activation code for a machine
  users create --org ORG --email E --name N [--role admin|member]   prints the user's API token once
  machines revoke MACHINE
  publish --org ORG FILE.zip                       check, sign and publish a template package
  plans set TEMPLATE FILE.json                     set a template's price plans ({"plans": [...]} or [...])
  versions revoke|deprecate|restore TEMPLATE VERSION [--reason TEXT]   through the signed control list
  invoices list [--status open|paid|void] [--org ORG]
  invoices confirm INVOICE [--reference TEXT]      a bank transfer arrived (invoice id or number)
  invoices issue --month YYYY-MM [--org ORG]       issue the month's pay-after-use / pay-for-results invoices

Add --json to print the platform's answer as JSON.`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: CliIo = { env: process.env, out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

class UsageError extends Error {}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`Missing ${what}. See --help.`);
  return value;
}

async function call(io: CliIo, method: string, route: string, body?: unknown): Promise<any> {
  const base = (io.env.PLANTDESK_CLOUD_URL ?? 'http://127.0.0.1:8480').replace(/\/$/, '');
  const token = io.env.PLANTDESK_OPERATOR_TOKEN;
  if (!token) throw new UsageError('Set PLANTDESK_OPERATOR_TOKEN to the operator token the platform runs with.');
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  let payload: RequestInit['body'];
  if (Buffer.isBuffer(body)) {
    headers['content-type'] = 'application/zip';
    payload = new Uint8Array(body);
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(`${base}${route}`, { method, headers, body: payload });
  } catch (error) {
    throw new UsageError(`Cannot reach the platform at ${base} (${(error as Error).cause ?? (error as Error).message}). Is it running? Set PLANTDESK_CLOUD_URL.`);
  }
  const text = await response.text();
  const answer = text ? JSON.parse(text) : null;
  if (!response.ok) throw new UsageError(`${answer?.error?.message ?? `The platform answered ${response.status}.`}${answer?.error?.details?.problems ? `\n  - ${answer.error.details.problems.join('\n  - ')}` : ''}`);
  return answer;
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

function dataDirOf(io: CliIo, given: string | undefined): string {
  return path.resolve(given ?? io.env.PLANTDESK_CLOUD_DATA ?? path.join(os.homedir(), '.plantdesk-cloud'));
}

/** Runs one command; resolves to the exit code. `serve` resolves only when the server stops. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      'publisher-id': { type: 'string' },
      org: { type: 'string' },
      days: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      status: { type: 'string' },
      reference: { type: 'string' },
      reason: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
      'key-file': { type: 'string' },
    },
  });
  const [command, action, ...rest] = positionals;
  const print = (answer: unknown, human: () => void) => (values.json ? io.out(JSON.stringify(answer, null, 2)) : human());
  try {
    if (values.help || !command) {
      io.out(HELP);
      return 0;
    }
    switch (`${command} ${command === 'publish' || command === 'serve' || command === 'migrate' || command === 'operator-token' ? '' : (action ?? '')}`.trim()) {
      case 'serve':
        return await serve(io, values);
      case 'migrate': {
        const dataDir = dataDirOf(io, values['data-dir'] as string | undefined);
        if (!io.env.DATABASE_URL) fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        const db = io.env.DATABASE_URL ? await openDatabase({ url: io.env.DATABASE_URL }) : await openDatabase({ dataDir: path.join(dataDir, 'pgdata') });
        try {
          const applied = await migrate(db);
          io.out(applied.length ? `Applied migrations ${applied.join(', ')}.` : 'The database is up to date.');
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'operator-token':
        io.out(`pdo_${randomToken(32)}`);
        return 0;
      case 'keys generate': {
        const file = path.resolve(need(values.out, '--out FILE'));
        const key = generateSigningKey();
        fs.writeFileSync(file, signingKeyToPem(key), { mode: 0o600, flag: 'wx' });
        io.out(`Wrote the marketplace key ${key.keyId} to ${file}. Public key (for apps to pin): ${key.publicKey}`);
        return 0;
      }
      case 'keys show': {
        const file = values['key-file'] ?? io.env.PLANTDESK_MARKETPLACE_KEY_FILE ?? path.join(dataDirOf(io, values['data-dir']), 'marketplace-key.pem');
        const key = signingKeyFromPem(fs.readFileSync(file, 'utf8'));
        io.out(`Key id ${key.keyId}, public key ${key.publicKey}`);
        return 0;
      }
      case 'orgs create': {
        const answer = await call(io, 'POST', '/v1/operator/organisations', { name: need(values.name, '--name'), ...(values['publisher-id'] ? { publisherId: values['publisher-id'] } : {}) });
        print(answer, () => io.out(`Created organisation ${answer.id} (${answer.name})${answer.publisherId ? `, publisher id ${answer.publisherId}` : ''}.`));
        return 0;
      }
      case 'orgs list': {
        const answer = await call(io, 'GET', '/v1/operator/organisations');
        print(answer, () => {
          for (const o of answer.organisations) io.out(`${o.id}  ${o.name}${o.publisherId ? `  (publisher ${o.publisherId})` : ''}`);
          if (answer.organisations.length === 0) io.out('No organisations yet.');
        });
        return 0;
      }
      case 'codes create': {
        const answer = await call(io, 'POST', `/v1/operator/organisations/${need(values.org, '--org')}/activation-codes`, values.days ? { validDays: Number(values.days) } : {});
        print(answer, () => io.out(`Activation code ${answer.activationCode} — one machine, until ${new Date(answer.expiresAt).toISOString()}.`));
        return 0;
      }
      case 'users create': {
        const answer = await call(io, 'POST', `/v1/operator/organisations/${need(values.org, '--org')}/users`, {
          email: need(values.email, '--email'),
          name: need(values.name, '--name'),
          ...(values.role ? { role: values.role } : {}),
        });
        print(answer, () => io.out(`Created user ${answer.user.id} (${answer.user.email}, ${answer.user.role}). API token, shown this once: ${answer.token}`));
        return 0;
      }
      case 'machines revoke': {
        const answer = await call(io, 'POST', `/v1/operator/machines/${need(rest[0] ?? undefined, 'MACHINE')}/revoke`);
        print(answer, () => io.out(`Revoked machine ${answer.id}.`));
        return 0;
      }
      case 'publish': {
        const file = need(action, 'FILE.zip');
        const answer = await call(io, 'POST', `/v1/operator/organisations/${need(values.org, '--org')}/packages`, fs.readFileSync(file));
        print(answer, () => io.out(`Published ${answer.templateId} ${answer.version} (${answer.size} bytes, sha256 ${answer.sha256}).`));
        return 0;
      }
      case 'plans set': {
        const template = need(rest[0], 'TEMPLATE');
        const parsed = JSON.parse(fs.readFileSync(need(rest[1], 'FILE.json'), 'utf8'));
        const answer = await call(io, 'PUT', `/v1/operator/templates/${template}/plans`, Array.isArray(parsed) ? { plans: parsed } : parsed);
        print(answer, () => io.out(`${template} has ${answer.plans.length} price plan(s): ${answer.plans.map((p: { id: string; kind: string }) => `${p.id} (${p.kind})`).join(', ')}.`));
        return 0;
      }
      case 'versions revoke':
      case 'versions deprecate':
      case 'versions restore': {
        const status = { revoke: 'revoked', deprecate: 'deprecated', restore: 'published' }[action as 'revoke' | 'deprecate' | 'restore'];
        const answer = await call(io, 'POST', `/v1/operator/templates/${need(rest[0], 'TEMPLATE')}/versions/${need(rest[1], 'VERSION')}/status`, {
          status,
          ...(values.reason ? { reason: values.reason } : {}),
        });
        print(answer, () => io.out(`${answer.templateId} ${answer.version} is ${answer.status}.`));
        return 0;
      }
      case 'invoices list': {
        const query = new URLSearchParams();
        if (values.status) query.set('status', values.status);
        if (values.org) query.set('organisationId', values.org);
        const answer = await call(io, 'GET', `/v1/operator/invoices${query.size ? `?${query}` : ''}`);
        print(answer, () => {
          for (const i of answer.invoices) io.out(`${i.number}  ${i.organisationId}  ${i.kind}${i.month ? ` ${i.month}` : ''}  ${yuan(i.total)}  ${i.status}`);
          if (answer.invoices.length === 0) io.out('No invoices.');
        });
        return 0;
      }
      case 'invoices confirm': {
        const answer = await call(io, 'POST', `/v1/operator/invoices/${need(rest[0], 'INVOICE')}/confirm`, values.reference ? { reference: values.reference } : {});
        print(answer, () => io.out(`Invoice ${answer.number} (${yuan(answer.total)}) is paid.`));
        return 0;
      }
      case 'invoices issue': {
        const answer = await call(io, 'POST', '/v1/operator/invoices/issue', { month: need(values.month, '--month YYYY-MM'), ...(values.org ? { organisationId: values.org } : {}) });
        print(answer, () => {
          for (const i of answer.invoices) io.out(`${i.number}  ${i.organisationId}  ${yuan(i.total)}  ${i.lines.length} line(s)`);
          io.out(`${answer.invoices.length} invoice(s) for ${answer.month}.`);
        });
        return 0;
      }
      default:
        throw new UsageError(`Unknown command "${positionals.join(' ')}". See --help.`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

/** The next marketplace keys (public halves, comma-separated), announced so apps pin them before a rotation. */
function nextKeys(list: string | undefined): MarketplaceKey[] {
  return (list ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean)
    .map((publicKey) => {
      if (!publicKeyFromRaw(publicKey)) throw new UsageError(`PLANTDESK_MARKETPLACE_NEXT_KEYS: "${publicKey}" is not an Ed25519 public key (as keys show prints it).`);
      return { keyId: keyIdOf(publicKey), publicKey, status: 'next' as const };
    });
}

async function serve(io: CliIo, values: Record<string, string | boolean | undefined>): Promise<number> {
  const env = io.env;
  const databaseUrl = env.DATABASE_URL || undefined;
  const dataDir = databaseUrl ? undefined : dataDirOf(io, values['data-dir'] as string | undefined);
  const keyFile = env.PLANTDESK_MARKETPLACE_KEY_FILE;
  const port = Number(values.port ?? env.PORT ?? 8480);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port number.`);
  const cloud = await startCloud({
    databaseUrl,
    dataDir,
    marketplaceKeyPem: keyFile ? fs.readFileSync(keyFile, 'utf8') : undefined,
    otherPublicKeys: nextKeys(env.PLANTDESK_MARKETPLACE_NEXT_KEYS),
    operatorToken: env.PLANTDESK_OPERATOR_TOKEN || undefined,
    host: (values.host as string | undefined) ?? env.HOST ?? '127.0.0.1',
    port,
    trustProxy: env.PLANTDESK_TRUST_PROXY === '1',
    testPayments: env.PLANTDESK_TEST_PAYMENTS === '1',
    bankAccount: {
      accountName: env.PLANTDESK_BANK_ACCOUNT_NAME ?? 'PlantDesk Marketplace',
      bank: env.PLANTDESK_BANK_NAME ?? '(set PLANTDESK_BANK_NAME)',
      accountNumber: env.PLANTDESK_BANK_ACCOUNT ?? '(set PLANTDESK_BANK_ACCOUNT)',
    },
    log: { level: env.LOG_LEVEL ?? 'info' },
  });
  io.out(`PlantDesk cloud listening on ${cloud.url} (${databaseUrl ? 'PostgreSQL' : `PGlite in ${dataDir}`}; marketplace key ${cloud.keys.current.keyId}).`);
  if (!env.PLANTDESK_OPERATOR_TOKEN) io.out('Operator endpoints and the /operator page are off: set PLANTDESK_OPERATOR_TOKEN (npm run cloud -- operator-token makes one).');
  else io.out(`Operator page: ${cloud.url}/operator (any user name, the operator token as password).`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await cloud.close();
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
