// The schema, as numbered migrations applied in order and once, in one transaction. Instances
// starting together take an advisory lock, so only one applies them. Times are milliseconds since
// the epoch (bigint), money and quantities integers in their smallest unit.
import type { Database } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts',
    sql: `
      CREATE TABLE organisations (
        id text PRIMARY KEY,
        name text NOT NULL,
        -- The publisher id (template ids begin with it) when the organisation publishes templates.
        publisher_id text UNIQUE,
        created_at bigint NOT NULL
      );
      CREATE TABLE users (
        id text PRIMARY KEY,
        organisation_id text NOT NULL REFERENCES organisations(id),
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'member')),
        token_hash text NOT NULL UNIQUE,
        created_at bigint NOT NULL,
        disabled_at bigint
      );
      CREATE INDEX users_organisation ON users (organisation_id);
      CREATE TABLE activation_codes (
        code_hash text PRIMARY KEY,
        organisation_id text NOT NULL REFERENCES organisations(id),
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        used_at bigint,
        machine_id text
      );
      CREATE TABLE machines (
        id text PRIMARY KEY,
        organisation_id text NOT NULL REFERENCES organisations(id),
        name text NOT NULL,
        public_key text NOT NULL UNIQUE,
        fingerprint jsonb NOT NULL,
        app_version text NOT NULL,
        activated_at bigint NOT NULL,
        last_seen_at bigint,
        revoked_at bigint
      );
      CREATE INDEX machines_organisation ON machines (organisation_id);
      -- Nonces of signed requests, kept past the clock-skew window so a replay is always refused.
      CREATE TABLE request_nonces (
        machine_id text NOT NULL,
        nonce text NOT NULL,
        expires_at bigint NOT NULL,
        PRIMARY KEY (machine_id, nonce)
      );
      CREATE INDEX request_nonces_expiry ON request_nonces (expires_at);
    `,
  },
  {
    version: 2,
    name: 'catalogue',
    sql: `
      CREATE TABLE templates (
        id text PRIMARY KEY,
        organisation_id text NOT NULL REFERENCES organisations(id),
        publisher_id text NOT NULL,
        plans jsonb NOT NULL DEFAULT '[]',
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      -- Immutable: a version once published is never updated or replaced.
      CREATE TABLE template_versions (
        template_id text NOT NULL REFERENCES templates(id),
        version text NOT NULL,
        manifest jsonb NOT NULL,
        signature text NOT NULL,
        package bytea NOT NULL,
        sha256 text NOT NULL,
        size integer NOT NULL,
        search text NOT NULL,
        published_at bigint NOT NULL,
        PRIMARY KEY (template_id, version)
      );
      -- Bumped in the same transaction as every change an app would see in the listing (its ETag).
      CREATE TABLE catalogue_state (id integer PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL);
      INSERT INTO catalogue_state (id, revision) VALUES (1, 1);
    `,
  },
  {
    version: 3,
    name: 'orders',
    sql: `
      CREATE TABLE entitlements (
        id text PRIMARY KEY,
        organisation_id text NOT NULL REFERENCES organisations(id),
        template_id text NOT NULL REFERENCES templates(id),
        plan_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('trial', 'subscription', 'pay_after_use', 'pay_for_results')),
        -- The plan as it was when ordered: later price changes do not touch it.
        plan jsonb NOT NULL,
        period text CHECK (period IN ('monthly', 'yearly')),
        status text NOT NULL CHECK (status IN ('pending_payment', 'active', 'cancelled', 'expired', 'superseded')),
        created_at bigint NOT NULL,
        valid_from bigint,
        valid_until bigint,
        cancelled_at bigint
      );
      CREATE INDEX entitlements_organisation ON entitlements (organisation_id, template_id);
      -- One trial per organisation and template, ever.
      CREATE UNIQUE INDEX entitlements_one_trial ON entitlements (organisation_id, template_id) WHERE kind = 'trial';
      CREATE SEQUENCE invoice_numbers START 1001;
      CREATE TABLE invoices (
        id text PRIMARY KEY,
        number text NOT NULL UNIQUE,
        organisation_id text NOT NULL REFERENCES organisations(id),
        kind text NOT NULL CHECK (kind IN ('order', 'monthly')),
        month text,
        currency text NOT NULL,
        total bigint NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'paid', 'void')),
        payment_method text NOT NULL,
        payment_instructions jsonb NOT NULL,
        entitlement_id text REFERENCES entitlements(id),
        issued_at bigint NOT NULL,
        paid_at bigint,
        paid_reference text
      );
      CREATE INDEX invoices_organisation ON invoices (organisation_id);
      CREATE UNIQUE INDEX invoices_one_per_month ON invoices (organisation_id, month) WHERE kind = 'monthly';
      CREATE TABLE invoice_lines (
        invoice_id text NOT NULL REFERENCES invoices(id),
        position integer NOT NULL,
        description text NOT NULL,
        template_id text,
        entitlement_id text,
        quantity bigint NOT NULL,
        unit text NOT NULL,
        unit_price_amount bigint NOT NULL,
        unit_price_per bigint NOT NULL,
        amount bigint NOT NULL,
        PRIMARY KEY (invoice_id, position)
      );
      -- The licence documents handed out: one id per entitlement and machine, renewed at each sync.
      CREATE TABLE licences (
        id text PRIMARY KEY,
        entitlement_id text NOT NULL REFERENCES entitlements(id),
        machine_id text NOT NULL REFERENCES machines(id),
        organisation_id text NOT NULL,
        issued_at bigint NOT NULL,
        lease_expires_at bigint NOT NULL,
        UNIQUE (entitlement_id, machine_id)
      );
    `,
  },
  {
    version: 4,
    name: 'usage',
    sql: `
      CREATE TABLE usage_streams (
        machine_id text NOT NULL REFERENCES machines(id),
        stream text NOT NULL CHECK (stream IN ('usage', 'outcomes')),
        highest_sequence bigint NOT NULL,
        head_hash text NOT NULL,
        PRIMARY KEY (machine_id, stream)
      );
      CREATE TABLE usage_batches (
        machine_id text NOT NULL,
        stream text NOT NULL,
        batch_id text NOT NULL,
        content_hash text NOT NULL,
        received_at bigint NOT NULL,
        PRIMARY KEY (machine_id, stream, batch_id)
      );
      -- Permanent: a machine offline for weeks still cannot have a record counted twice.
      CREATE TABLE usage_records (
        machine_id text NOT NULL REFERENCES machines(id),
        record_id text NOT NULL,
        stream text NOT NULL,
        sequence bigint NOT NULL,
        organisation_id text NOT NULL,
        template_id text NOT NULL,
        entitlement_id text,
        meter text NOT NULL,
        unit text NOT NULL,
        value bigint NOT NULL,
        period_start bigint NOT NULL,
        period_end bigint NOT NULL,
        hash text NOT NULL,
        prev_hash text NOT NULL,
        record jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('accepted', 'disputed')),
        dispute_reason text,
        received_at bigint NOT NULL,
        invoice_id text REFERENCES invoices(id),
        PRIMARY KEY (machine_id, record_id),
        UNIQUE (machine_id, stream, sequence)
      );
      CREATE INDEX usage_records_billing ON usage_records (organisation_id, invoice_id, period_end);
      -- What the chain checks refused: gaps and tampering, for the operator.
      CREATE TABLE chain_incidents (
        id bigserial PRIMARY KEY,
        machine_id text NOT NULL,
        stream text NOT NULL,
        kind text NOT NULL,
        details jsonb NOT NULL,
        at bigint NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'rate limits',
    sql: `
      -- Request counts per client and fixed window, shared by every instance on a PostgreSQL server.
      CREATE TABLE rate_limits (
        key text PRIMARY KEY,
        window_start bigint NOT NULL,
        hits integer NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'subscription renewals',
    sql: `
      -- The period an order invoice pays for (a first subscription or a renewal of one).
      ALTER TABLE invoices ADD COLUMN period text CHECK (period IN ('monthly', 'yearly'));
    `,
  },
  {
    version: 7,
    name: 'control list',
    sql: `
      -- A version's standing, which may change though its package never does: revoked versions
      -- leave the listing and are refused by apps through the signed control list.
      ALTER TABLE template_versions ADD COLUMN status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'deprecated', 'revoked'));
      ALTER TABLE template_versions ADD COLUMN status_reason text;
      ALTER TABLE template_versions ADD COLUMN status_changed_at bigint;
    `,
  },
  {
    version: 8,
    name: 'order idempotency',
    sql: `
      -- An order sent again with the same Idempotency-Key (its answer was lost) gets the first answer,
      -- and places nothing twice: no second renewal, no second invoice.
      CREATE TABLE order_requests (
        organisation_id text NOT NULL REFERENCES organisations (id),
        idempotency_key text NOT NULL,
        request_sha256 text NOT NULL,
        response text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (organisation_id, idempotency_key)
      );
    `,
  },
];

const MIGRATION_LOCK = 7_293_001;

/** Applies the migrations not yet applied; returns the versions it applied. */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => row.version));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Date.now()]);
      applied.push(migration.version);
    }
    return applied;
  });
}
