// Devices and points as stored in the database: each a JSON document validated by the shared schema
// on the way in and on the way out, so a hand-edited or damaged row is reported, never crashes the core.
// Statements are prepared once: a register map of thousands of points is saved in one transaction.
import { DeviceSchema, PointSchema, type Device, type Point } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';

export interface StoredPoint extends Point {
  /** The point's number in the samples table. */
  num: number;
}

type PointRow = { num: number; id: string; config: string };
type DeviceRow = { id: string; config: string };

/** The tables holding a point's history: plain rows, compressed blocks, rollups and the rollups' progress. */
const HISTORY_TABLES = ['samples', 'sample_blocks', 'rollups', 'rollup_states', 'rollup_progress'] as const;

export class DeviceStore {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #sql;

  constructor(db: Db, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
    this.#sql = {
      devices: db.prepare<[], DeviceRow>('SELECT id, config FROM devices ORDER BY created_at, id'),
      device: db.prepare<[string], DeviceRow>('SELECT id, config FROM devices WHERE id = ?'),
      saveDevice: db.prepare(
        `INSERT INTO devices (id, config, created_at) VALUES (?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET config = excluded.config`,
      ),
      deleteDevice: db.prepare('DELETE FROM devices WHERE id = ?'),
      points: db.prepare<[], PointRow>('SELECT num, id, config FROM points ORDER BY num'),
      pointsOf: db.prepare<[string], PointRow>('SELECT num, id, config FROM points WHERE device_id = ? ORDER BY num'),
      savePoint: db.prepare(
        // A new point never takes the number of a deleted one whose history was kept.
        `INSERT INTO points (num, id, device_id, config) VALUES (1 + max(
           coalesce((SELECT max(num) FROM points), 0), coalesce((SELECT max(point) FROM samples), 0),
           coalesce((SELECT max(point) FROM sample_blocks), 0), coalesce((SELECT max(point) FROM rollup_progress), 0)), ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET device_id = excluded.device_id, config = excluded.config`,
      ),
      deletePoint: db.prepare('DELETE FROM points WHERE id = ?'),
      deletePointsOf: db.prepare('DELETE FROM points WHERE device_id = ?'),
      // Every form of the history: plain rows, compressed blocks, rollups and the rollups' progress.
      deleteHistoryOf: HISTORY_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE point IN (SELECT num FROM points WHERE device_id = ?)`)),
      deletePointHistory: HISTORY_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE point = (SELECT num FROM points WHERE id = ?)`)),
    };
  }

  listDevices(): Device[] {
    return this.#sql.devices.all().flatMap((row) => this.#parse('device', row.id, row.config, DeviceSchema.parse));
  }

  getDevice(id: string): Device | undefined {
    const row = this.#sql.device.get(id);
    return row ? this.#parse('device', row.id, row.config, DeviceSchema.parse)[0] : undefined;
  }

  saveDevice(device: Device): void {
    this.#sql.saveDevice.run(device.id, JSON.stringify(DeviceSchema.parse(device)), Date.now());
  }

  listPoints(deviceId?: string): StoredPoint[] {
    const rows = deviceId === undefined ? this.#sql.points.all() : this.#sql.pointsOf.all(deviceId);
    return rows.flatMap((row) => this.#parse('point', row.id, row.config, (value) => ({ ...PointSchema.parse(value), num: row.num })));
  }

  savePoint(point: Point): void {
    this.#sql.savePoint.run(point.id, point.deviceId, JSON.stringify(PointSchema.parse(point)));
  }

  /** Makes `points` the device's whole register map, in one transaction. */
  replacePoints(deviceId: string, points: readonly Point[]): void {
    this.#db.transaction(() => {
      const keep = new Set(points.map((point) => point.id));
      for (const existing of this.#sql.pointsOf.all(deviceId)) if (!keep.has(existing.id)) this.#sql.deletePoint.run(existing.id);
      for (const point of points) this.savePoint(point);
    })();
  }

  /** Removes single points; with keepHistory false, their history too. */
  deletePoints(pointIds: readonly string[], keepHistory: boolean): void {
    this.#db.transaction(() => {
      for (const id of pointIds) {
        if (!keepHistory) for (const statement of this.#sql.deletePointHistory) statement.run(id);
        this.#sql.deletePoint.run(id);
      }
    })();
  }

  /** Removes a device and its points; with keepHistory false, their samples too. */
  deleteDevice(deviceId: string, keepHistory: boolean): boolean {
    return this.#db.transaction(() => {
      if (!keepHistory) for (const statement of this.#sql.deleteHistoryOf) statement.run(deviceId);
      this.#sql.deletePointsOf.run(deviceId);
      return this.#sql.deleteDevice.run(deviceId).changes > 0;
    })();
  }

  /** Saves devices and their points in one transaction: all of them or none. */
  saveAll(devices: readonly Device[], points: readonly Point[]): void {
    this.#db.transaction(() => {
      for (const device of devices) this.saveDevice(device);
      for (const point of points) this.savePoint(point);
    })();
  }

  #parse<T>(kind: string, id: string, json: string, parse: (value: unknown) => T): T[] {
    try {
      return [parse(JSON.parse(json))];
    } catch (error) {
      this.#logger.error(`stored ${kind} is damaged and was skipped`, { id, error: String(error) });
      return [];
    }
  }
}
