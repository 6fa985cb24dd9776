// The stored dashboards (table `dashboards`, core/dashboards/schema.ts). Every document is checked
// against the schema when written and again when read: one that no longer fits (written by a newer
// PlantDesk, edited by hand) is left out of the list and logged, never allowed to break the page.
import { DashboardSchema, type Dashboard } from '../../shared/domain/dashboards.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';

export interface StoredDashboard {
  dashboard: Dashboard;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  document: string;
  revision: number;
  created_at: number;
  updated_at: number;
}

export class DashboardStore {
  readonly #db: Db;
  readonly #logger: Logger;
  // Prepared on first use, so a database without the table fails only the dashboard calls.
  #statements: ReturnType<DashboardStore['prepare']> | undefined;

  constructor(db: Db, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  private prepare() {
    const db = this.#db;
    return {
      list: db.prepare<[], Row>('SELECT id, document, revision, created_at, updated_at FROM dashboards ORDER BY created_at, id'),
      get: db.prepare<[string], Row>('SELECT id, document, revision, created_at, updated_at FROM dashboards WHERE id = ?'),
      ids: db.prepare<[], string>('SELECT id FROM dashboards').pluck(),
      insert: db.prepare('INSERT INTO dashboards (id, document, revision, created_at, updated_at) VALUES (?, ?, 1, ?, ?)'),
      update: db.prepare('UPDATE dashboards SET document = ?, revision = revision + 1, updated_at = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM dashboards WHERE id = ?'),
    };
  }

  get #sql() {
    this.#statements ??= this.prepare();
    return this.#statements;
  }

  #read(row: Row): StoredDashboard | undefined {
    try {
      const dashboard = DashboardSchema.parse(JSON.parse(row.document));
      return { dashboard, revision: row.revision, createdAt: row.created_at, updatedAt: row.updated_at };
    } catch (error) {
      this.#logger.warn('a stored dashboard is not valid; it is left out', { id: row.id, error: String(error) });
      return undefined;
    }
  }

  /** The valid stored dashboards, oldest first. */
  list(): StoredDashboard[] {
    return this.#sql.list.all().flatMap((row) => this.#read(row) ?? []);
  }

  /** A stored dashboard; 'invalid' when its stored document no longer fits the schema. */
  get(id: string): StoredDashboard | 'invalid' | undefined {
    const row = this.#sql.get.get(id);
    if (!row) return undefined;
    return this.#read(row) ?? 'invalid';
  }

  /** Every stored id, valid or not (a new id must not take one of them). */
  ids(): Set<string> {
    return new Set(this.#sql.ids.all());
  }

  /**
   * Writes a dashboard: a new one at revision 1, or the next revision of a stored one. With
   * `expectedRevision`, a stored one at any other revision is left alone and 'changed' returned.
   */
  save(dashboard: Dashboard, expectedRevision?: number, now = Date.now()): StoredDashboard | 'changed' {
    const valid = DashboardSchema.parse(dashboard);
    const document = JSON.stringify(valid);
    return this.#db.transaction(() => {
      const current = this.#sql.get.get(valid.id);
      if (!current) {
        this.#sql.insert.run(valid.id, document, now, now);
        return { dashboard: valid, revision: 1, createdAt: now, updatedAt: now };
      }
      if (expectedRevision !== undefined && current.revision !== expectedRevision) return 'changed' as const;
      this.#sql.update.run(document, now, valid.id);
      return { dashboard: valid, revision: current.revision + 1, createdAt: current.created_at, updatedAt: now };
    }).immediate();
  }

  /** Removes a stored dashboard; false when there was none. */
  delete(id: string): boolean {
    return this.#sql.delete.run(id).changes > 0;
  }
}
