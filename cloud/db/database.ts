// One SQL dialect (PostgreSQL) on two engines: PGlite embedded in the process (the default, in a data
// folder or in memory) and a real PostgreSQL server through `pg` when DATABASE_URL is set. The
// service keeps no state of its own, so several instances can share one PostgreSQL database.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one statement with `$1…` parameters; JSON goes in as text cast with `::jsonb`. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`: a PostgreSQL server. Without it, PGlite. */
  url?: string;
  /** PGlite's data folder; omitted, the database lives in memory. */
  dataDir?: string;
  /** PGlite only: start from this dump of a data folder (`dumpDataDir`) instead of an empty one. */
  loadDataDir?: Blob;
  /** PostgreSQL only: most connections this instance opens. */
  poolSize?: number;
}

const INT8 = 20;
const NUMERIC = 1700;

/** bigint and numeric as JavaScript numbers: every figure here (ms, smallest units, counts) fits. */
function toSafeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) && !(Number.isFinite(value) && !/^-?\d+$/.test(text))) {
    throw new RangeError(`database value ${text} does not fit a JavaScript number`);
  }
  return value;
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options);
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [INT8]: toSafeNumber, [NUMERIC]: toSafeNumber },
  });
  const wrap = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await target.query<T>(sql, params as unknown[])).rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  });
  return {
    engine: 'pglite',
    ...wrap(db),
    // PGlite is one connection: a transaction holds it, other queries wait their turn.
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
    dump: () => db.dumpDataDir('none'),
  } as Database;
}

/** A PGlite database's folder as a tar blob (tests start their databases from a migrated one). */
export async function dumpPglite(database: Database): Promise<Blob> {
  const dump = (database as Database & { dump?: () => Promise<Blob> }).dump;
  if (!dump) throw new Error('only a PGlite database can be dumped');
  return dump();
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8 || oid === NUMERIC ? toSafeNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const wrap = (target: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await target.query(sql, params as unknown[])).rows as T[];
    },
    async exec(sql: string) {
      await target.query(sql);
    },
  });
  await pool.query('SELECT 1');
  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Whether a database error is a unique-constraint violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
