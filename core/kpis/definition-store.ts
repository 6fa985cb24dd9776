// The stored KPI definitions (table kpi_definitions, core/kpis/schema.ts). Each document is checked
// against the schema when written and again when read: one that no longer fits (written by a newer
// PlantDesk, edited by hand) is left out of the list and logged, never allowed to break a dashboard.
import { KpiDefinitionSchema, type KpiDefinition } from '../../shared/domain/kpis.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';

export interface StoredKpiDefinition {
  definition: KpiDefinition;
  /** The template instance that created it; null for one made in the app. */
  ownerInstanceId: string | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  definition: string;
  owner_instance_id: string | null;
  created_at: number;
  updated_at: number;
}

export class KpiDefinitionStore {
  readonly #db: Db;
  readonly #logger: Logger;
  // Prepared on first use, so a database without the table fails only the KPI definition calls.
  #statements: ReturnType<KpiDefinitionStore['prepare']> | undefined;

  constructor(db: Db, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  private prepare() {
    const db = this.#db;
    const columns = 'id, definition, owner_instance_id, created_at, updated_at';
    return {
      list: db.prepare<[], Row>(`SELECT ${columns} FROM kpi_definitions ORDER BY created_at, id`),
      get: db.prepare<[string], Row>(`SELECT ${columns} FROM kpi_definitions WHERE id = ?`),
      owner: db.prepare<[string], { owner_instance_id: string | null }>('SELECT owner_instance_id FROM kpi_definitions WHERE id = ?'),
      owned: db.prepare<[string], string>('SELECT id FROM kpi_definitions WHERE owner_instance_id = ? ORDER BY id').pluck(),
      upsert: db.prepare(`INSERT INTO kpi_definitions (id, definition, owner_instance_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, owner_instance_id = excluded.owner_instance_id, updated_at = excluded.updated_at`),
      delete: db.prepare('DELETE FROM kpi_definitions WHERE id = ?'),
    };
  }

  get #sql() {
    this.#statements ??= this.prepare();
    return this.#statements;
  }

  #read(row: Row): StoredKpiDefinition | undefined {
    try {
      const definition = KpiDefinitionSchema.parse(JSON.parse(row.definition));
      return { definition, ownerInstanceId: row.owner_instance_id, createdAt: row.created_at, updatedAt: row.updated_at };
    } catch (error) {
      this.#logger.warn('a stored KPI definition is not valid; it is left out', { id: row.id, error: String(error) });
      return undefined;
    }
  }

  /** The valid stored definitions, oldest first. */
  list(): StoredKpiDefinition[] {
    return this.#sql.list.all().flatMap((row) => this.#read(row) ?? []);
  }

  /** A stored definition; 'invalid' when its stored document no longer fits the schema. */
  get(id: string): StoredKpiDefinition | 'invalid' | undefined {
    const row = this.#sql.get.get(id);
    if (!row) return undefined;
    return this.#read(row) ?? 'invalid';
  }

  /** Who owns a stored definition, readable or not: an instance id, null for the plant's own, undefined when there is none. */
  ownerOf(id: string): string | null | undefined {
    return this.#sql.owner.get(id)?.owner_instance_id;
  }

  /** The ids of the definitions a template instance owns. */
  ownedBy(instanceId: string): string[] {
    return this.#sql.owned.all(instanceId);
  }

  /** Writes a definition, new or over the stored one of its id (keeping when it was first made). */
  save(definition: KpiDefinition, ownerInstanceId: string | null, now = Date.now()): StoredKpiDefinition {
    const valid = KpiDefinitionSchema.parse(definition);
    this.#sql.upsert.run(valid.id, JSON.stringify(valid), ownerInstanceId, now, now);
    const createdAt = this.#sql.get.get(valid.id)!.created_at;
    return { definition: valid, ownerInstanceId, createdAt, updatedAt: now };
  }

  /** Removes a stored definition; false when there was none. */
  delete(id: string): boolean {
    return this.#sql.delete.run(id).changes > 0;
  }
}
