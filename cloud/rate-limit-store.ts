// Rate limits that hold across instances: with several instances on one PostgreSQL server, each
// client's count lives in the database (one upsert per request, fixed windows), so a load balancer
// spreading a client's requests does not multiply its allowance. With PGlite there is one process
// and the plugin's memory store serves.
import type { Database } from './db/database.ts';

interface StoreParams {
  routeInfo?: { method?: string | string[]; url?: string };
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** A store class for @fastify/rate-limit's `store` option, over this database. */
export function databaseRateLimitStore(db: Database, now: () => number) {
  return class DatabaseRateLimitStore {
    readonly prefix: string;

    constructor(params: StoreParams = {}) {
      // Limits set on one route count apart from the global one.
      this.prefix = params.routeInfo?.url ? `${String(params.routeInfo.method)} ${params.routeInfo.url}|` : '';
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      const at = now();
      db.query<{ hits: number; window_start: number }>(
        `INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_start + $3::bigint <= $2::bigint THEN 1 ELSE rate_limits.hits + 1 END,
           window_start = CASE WHEN rate_limits.window_start + $3::bigint <= $2::bigint THEN $2::bigint ELSE rate_limits.window_start END
         RETURNING hits, window_start`,
        [this.prefix + key, at, timeWindow],
      ).then(
        ([row]) => callback(null, { current: row!.hits, ttl: Math.max(0, row!.window_start + timeWindow - at) }),
        (error: Error) => callback(error),
      );
    }

    read(key: string, callback: Callback, timeWindow: number): void {
      const at = now();
      db.query<{ hits: number; window_start: number }>('SELECT hits, window_start FROM rate_limits WHERE key = $1', [this.prefix + key]).then(
        ([row]) => callback(null, row && row.window_start + timeWindow > at ? { current: row.hits, ttl: row.window_start + timeWindow - at } : { current: 0, ttl: 0 }),
        (error: Error) => callback(error),
      );
    }

    child(params: StoreParams): DatabaseRateLimitStore {
      return new DatabaseRateLimitStore(params);
    }
  };
}
