// The alarm tables (core/alarms/schema.ts) read and written: rules, the alarms not yet over, their
// transitions and the shelves. Transitions are written in batches (one transaction for a burst).
import type { AlarmHistoryEntry } from '../../shared/contract/alarm-calls.ts';
import {
  AlarmRuleSchema,
  type AlarmEventKind,
  type AlarmRule,
  type AlarmRuleKind,
  type AlarmSeverity,
  type AlarmState,
} from '../../shared/domain/alarms.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';

/** An alarm that is not over yet, as kept in memory and in `alarms_active`. */
export interface AlarmRecord {
  id: number;
  ruleId: string;
  kind: AlarmRuleKind;
  automatic: boolean;
  severity: AlarmSeverity;
  state: AlarmState;
  deviceId: string | null;
  pointId: string | null;
  deviceName: string | null;
  pointName: string | null;
  message: { 'zh-CN': string; en: string };
  value: number | string | null;
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  clearedAt: number | null;
}

export interface Shelf {
  ruleId: string;
  until: number;
  by: string;
  reason: string;
  at: number;
}

/** One transition, to be written. */
export interface AlarmEventRow {
  alarm: AlarmRecord;
  ts: number;
  event: AlarmEventKind;
  actor: string;
  comment: string | null;
}

export interface HistoryQuery {
  from: number;
  to: number;
  severity?: AlarmSeverity | undefined;
  deviceId?: string | undefined;
  state?: AlarmState | undefined;
  text?: string | undefined;
  limit: number;
}

type Row = Record<string, unknown>;

const num = (value: unknown): number | null => (typeof value === 'number' ? value : value === null || value === undefined ? null : Number(value));
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const val = (value: unknown): number | string | null => (typeof value === 'number' || typeof value === 'string' ? value : null);

function recordFromRow(row: Row): AlarmRecord {
  return {
    id: Number(row.id),
    ruleId: String(row.rule_id),
    kind: row.kind as AlarmRuleKind,
    automatic: row.automatic === 1,
    severity: row.severity as AlarmSeverity,
    state: row.state as AlarmState,
    deviceId: str(row.device_id),
    pointId: str(row.point_id),
    deviceName: str(row.device_name),
    pointName: str(row.point_name),
    message: { 'zh-CN': String(row.message_zh), en: String(row.message_en) },
    value: val(row.value),
    raisedAt: Number(row.raised_at),
    acknowledgedAt: num(row.acknowledged_at),
    acknowledgedBy: str(row.acknowledged_by),
    clearedAt: num(row.cleared_at),
  };
}

/** `%` and `_` taken literally in a LIKE pattern. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

export class AlarmStore {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #statements;

  constructor(db: Db, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
    this.#statements = {
      rules: db.prepare<[], { id: string; config: string }>('SELECT id, config FROM alarm_rules ORDER BY id'),
      saveRule: db.prepare('INSERT INTO alarm_rules (id, config, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at'),
      deleteRule: db.prepare('DELETE FROM alarm_rules WHERE id = ?'),
      active: db.prepare<[], Row>('SELECT * FROM alarms_active'),
      upsert: db.prepare(`
        INSERT INTO alarms_active (id, rule_id, kind, automatic, severity, state, device_id, point_id, device_name, point_name,
          message_en, message_zh, value, raised_at, acknowledged_at, acknowledged_by, cleared_at)
        VALUES (@id, @ruleId, @kind, @automatic, @severity, @state, @deviceId, @pointId, @deviceName, @pointName,
          @messageEn, @messageZh, @value, @raisedAt, @acknowledgedAt, @acknowledgedBy, @clearedAt)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, acknowledged_at = excluded.acknowledged_at,
          acknowledged_by = excluded.acknowledged_by, cleared_at = excluded.cleared_at, value = excluded.value,
          message_en = excluded.message_en, message_zh = excluded.message_zh`),
      remove: db.prepare('DELETE FROM alarms_active WHERE id = ?'),
      // A rule has at most one alarm not yet over: a leftover row of an earlier one goes first.
      removeByRule: db.prepare('DELETE FROM alarms_active WHERE rule_id = ? AND id <> ?'),
      event: db.prepare(`
        INSERT INTO alarm_events (alarm_id, ts, event, state, rule_id, severity, device_id, point_id, device_name, point_name,
          message_en, message_zh, value, actor, comment)
        VALUES (@alarmId, @ts, @event, @state, @ruleId, @severity, @deviceId, @pointId, @deviceName, @pointName,
          @messageEn, @messageZh, @value, @actor, @comment)`),
      lastId: db.prepare<[], number | null>('SELECT MAX(id) FROM (SELECT MAX(alarm_id) AS id FROM alarm_events UNION ALL SELECT MAX(id) FROM alarms_active)').pluck(),
      shelves: db.prepare<[], Row>('SELECT rule_id, until, shelved_by, reason, shelved_at FROM alarm_shelves'),
      shelve: db.prepare('INSERT INTO alarm_shelves (rule_id, until, shelved_by, reason, shelved_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(rule_id) DO UPDATE SET until = excluded.until, shelved_by = excluded.shelved_by, reason = excluded.reason, shelved_at = excluded.shelved_at'),
      unshelve: db.prepare('DELETE FROM alarm_shelves WHERE rule_id = ?'),
      prune: db.prepare('DELETE FROM alarm_events WHERE ts < ?'),
    };
  }

  /** The stored rules; one that no longer fits the schema is skipped with a warning, not fatal. */
  rules(): AlarmRule[] {
    const rules: AlarmRule[] = [];
    for (const row of this.#statements.rules.all()) {
      try {
        rules.push(AlarmRuleSchema.parse(JSON.parse(row.config)));
      } catch (error) {
        this.#logger.warn('a stored alarm rule is not valid; it is skipped', { rule: row.id, error: String(error) });
      }
    }
    return rules;
  }

  saveRule(rule: AlarmRule, now = Date.now()): void {
    this.#statements.saveRule.run(rule.id, JSON.stringify(rule), now);
  }

  deleteRule(id: string): boolean {
    return this.#statements.deleteRule.run(id).changes > 0;
  }

  activeAlarms(): AlarmRecord[] {
    return this.#statements.active.all().map(recordFromRow);
  }

  /** The highest alarm id used so far (ids are never reused). */
  lastAlarmId(): number {
    return this.#statements.lastId.get() ?? 0;
  }

  shelves(): Shelf[] {
    return this.#statements.shelves.all().map((row) => ({
      ruleId: String(row.rule_id),
      until: Number(row.until),
      by: String(row.shelved_by),
      reason: String(row.reason),
      at: Number(row.shelved_at),
    }));
  }

  saveShelf(shelf: Shelf): void {
    this.#statements.shelve.run(shelf.ruleId, shelf.until, shelf.by, shelf.reason, shelf.at);
  }

  deleteShelf(ruleId: string): void {
    this.#statements.unshelve.run(ruleId);
  }

  /**
   * Writes a batch in one transaction: the alarms' current rows (deleted once they are over) and
   * their transitions.
   */
  write(alarms: Iterable<AlarmRecord>, events: readonly AlarmEventRow[]): void {
    const { upsert, remove, removeByRule, event } = this.#statements;
    this.#db.transaction(() => {
      for (const alarm of alarms) {
        if (alarm.state === 'cleared') {
          remove.run(alarm.id);
          continue;
        }
        removeByRule.run(alarm.ruleId, alarm.id);
        upsert.run({
          id: alarm.id,
          ruleId: alarm.ruleId,
          kind: alarm.kind,
          automatic: alarm.automatic ? 1 : 0,
          severity: alarm.severity,
          state: alarm.state,
          deviceId: alarm.deviceId,
          pointId: alarm.pointId,
          deviceName: alarm.deviceName,
          pointName: alarm.pointName,
          messageEn: alarm.message.en,
          messageZh: alarm.message['zh-CN'],
          value: alarm.value,
          raisedAt: alarm.raisedAt,
          acknowledgedAt: alarm.acknowledgedAt,
          acknowledgedBy: alarm.acknowledgedBy,
          clearedAt: alarm.clearedAt,
        });
      }
      for (const row of events) {
        const { alarm } = row;
        event.run({
          alarmId: alarm.id,
          ts: row.ts,
          event: row.event,
          state: alarm.state,
          ruleId: alarm.ruleId,
          severity: alarm.severity,
          deviceId: alarm.deviceId,
          pointId: alarm.pointId,
          deviceName: alarm.deviceName,
          pointName: alarm.pointName,
          messageEn: alarm.message.en,
          messageZh: alarm.message['zh-CN'],
          value: alarm.value,
          actor: row.actor,
          comment: row.comment,
        });
      }
    })();
  }

  /** Transitions in a range, newest first, with the filters of the history screen. */
  history(query: HistoryQuery): { entries: AlarmHistoryEntry[]; truncated: boolean } {
    const where = ['ts >= ?', 'ts <= ?'];
    const params: (string | number)[] = [query.from, query.to];
    if (query.severity) {
      where.push('severity = ?');
      params.push(query.severity);
    }
    if (query.deviceId) {
      where.push('device_id = ?');
      params.push(query.deviceId);
    }
    if (query.state) {
      where.push('state = ?');
      params.push(query.state);
    }
    const text = query.text?.trim();
    if (text) {
      const columns = ['message_en', 'message_zh', 'device_name', 'point_name', 'point_id', 'device_id', 'rule_id', 'actor', 'comment'];
      where.push(`(${columns.map((column) => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      for (let index = 0; index < columns.length; index++) params.push(likePattern(text));
    }
    const rows = this.#db
      .prepare<(string | number)[], Row>(`SELECT * FROM alarm_events WHERE ${where.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT ?`)
      .all(...params, query.limit + 1);
    const truncated = rows.length > query.limit;
    const entries = rows.slice(0, query.limit).map((row) => ({
      id: Number(row.id),
      alarmId: Number(row.alarm_id),
      ts: Number(row.ts),
      event: row.event as AlarmEventKind,
      state: row.state as AlarmState,
      ruleId: String(row.rule_id),
      severity: row.severity as AlarmSeverity,
      deviceId: str(row.device_id),
      pointId: str(row.point_id),
      deviceName: str(row.device_name),
      pointName: str(row.point_name),
      message: { 'zh-CN': String(row.message_zh), en: String(row.message_en) },
      value: val(row.value),
      actor: String(row.actor),
      comment: str(row.comment),
    }));
    return { entries, truncated };
  }

  /** Removes transitions older than `before`; returns how many. */
  prune(before: number): number {
    return this.#statements.prune.run(before).changes;
  }
}
