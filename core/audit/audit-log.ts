// The audit log: every write to a device (and, later, every change an operator makes that matters),
// append-only, with who, when, the old and the new value and how it went.
import type { AuditEntry } from '../../shared/index.ts';
import type { Db } from '../storage/database.ts';

export interface AuditRecord {
  actor: string;
  action: string;
  target: string;
  oldValue: string | null;
  newValue: string | null;
  result: 'ok' | 'failed';
  message: string | null;
}

export class AuditLog {
  readonly #insert;
  readonly #list;

  constructor(db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO audit_log (ts, actor, action, target, old_value, new_value, result, message)
       VALUES (@ts, @actor, @action, @target, @oldValue, @newValue, @result, @message)`,
    );
    this.#list = db.prepare(
      `SELECT id, ts, actor, action, target, old_value AS oldValue, new_value AS newValue, result, message
       FROM audit_log WHERE ts < @before ORDER BY ts DESC, id DESC LIMIT @limit`,
    );
  }

  record(entry: AuditRecord, ts = Date.now()): void {
    this.#insert.run({ ...entry, ts });
  }

  list(limit: number, before = Number.MAX_SAFE_INTEGER): AuditEntry[] {
    return this.#list.all({ limit, before }) as AuditEntry[];
  }
}
