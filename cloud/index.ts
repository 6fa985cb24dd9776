// The cloud platform as a whole: open the database (PGlite in a folder or in memory by default,
// PostgreSQL when a URL is given), migrate it, load the marketplace key, and serve.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { generateSigningKey, Keyring, signingKeyFromPem, signingKeyToPem } from './crypto/keys.ts';
import { createCloudServer, type CloudServerOptions } from './server.ts';
import type { MarketplaceKey } from '../shared/cloud/index.ts';

export { createCloudServer, type CloudServerOptions } from './server.ts';
export { openDatabase, type Database } from './db/database.ts';
export { migrate } from './db/migrations.ts';
export { Keyring, generateSigningKey, signingKeyFromPem } from './crypto/keys.ts';

export interface StartCloudOptions extends Omit<CloudServerOptions, 'db' | 'keys'> {
  /** `postgres://…`; omitted, PGlite in `dataDir` (or in memory without one). */
  databaseUrl?: string;
  dataDir?: string;
  /** The marketplace's Ed25519 private key (PKCS#8 PEM). Omitted: `<dataDir>/marketplace-key.pem`, made on first start. */
  marketplaceKeyPem?: string;
  /** Public keys announced beside the current one (the next key during a rotation). */
  otherPublicKeys?: MarketplaceKey[];
  /** Ready-made parts, for tests. */
  db?: Database;
  keys?: Keyring;
  host?: string;
  port?: number;
}

export interface RunningCloud {
  url: string;
  app: FastifyInstance;
  db: Database;
  keys: Keyring;
  close(): Promise<void>;
}

/** The key from the PEM given, or the one in the data folder (made there on first start). */
export function loadMarketplaceKeys(options: Pick<StartCloudOptions, 'marketplaceKeyPem' | 'dataDir' | 'databaseUrl' | 'otherPublicKeys'>): Keyring {
  if (options.marketplaceKeyPem) return new Keyring(signingKeyFromPem(options.marketplaceKeyPem), options.otherPublicKeys);
  if (!options.dataDir) {
    if (options.databaseUrl) {
      // Instances sharing a database must sign with one key: it cannot be made up per instance.
      throw new Error('With a PostgreSQL database, give the marketplace key: PLANTDESK_MARKETPLACE_KEY_FILE (make one with `npm run cloud -- keys generate`).');
    }
    return new Keyring(generateSigningKey(), options.otherPublicKeys);
  }
  const file = path.join(options.dataDir, 'marketplace-key.pem');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(file, signingKeyToPem(generateSigningKey()), { mode: 0o600, flag: 'wx' });
  }
  return new Keyring(signingKeyFromPem(fs.readFileSync(file, 'utf8')), options.otherPublicKeys);
}

export async function startCloud(options: StartCloudOptions = {}): Promise<RunningCloud> {
  const ownsDb = !options.db;
  if (!options.db && !options.databaseUrl && options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db =
    options.db ??
    (await openDatabase(options.databaseUrl ? { url: options.databaseUrl } : { dataDir: options.dataDir ? path.join(options.dataDir, 'pgdata') : undefined }));
  try {
    await migrate(db);
    const keys = options.keys ?? loadMarketplaceKeys(options);
    const app = await createCloudServer({ ...options, db, keys });
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      app,
      db,
      keys,
      async close() {
        await app.close();
        if (ownsDb) await db.close();
      },
    };
  } catch (error) {
    if (ownsDb) await db.close().catch(() => {});
    throw error;
  }
}
