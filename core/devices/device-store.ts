// Devices and points as stored in the database: each a JSON document validated by the shared schema
// on the way in and on the way out, so a hand-edited or damaged row is reported, never crashes the core.
import { DeviceSchema, PointSchema, type Device, type Point } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';

export interface StoredPoint extends Point {
  /** The point's number in the samples table. */
  num: number;
}

export class DeviceStore {
  readonly #db: Db;
  readonly #logger: Logger;

  constructor(db: Db, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  listDevices(): Device[] {
    const rows = this.#db.prepare('SELECT id, config FROM devices ORDER BY created_at, id').all() as {
      id: string;
      config: string;
    }[];
    return rows.flatMap((row) => this.#parse('device', row.id, row.config, DeviceSchema.parse));
  }

  getDevice(id: string): Device | undefined {
    return this.listDevices().find((device) => device.id === id);
  }

  saveDevice(device: Device): void {
    const config = JSON.stringify(DeviceSchema.parse(device));
    this.#db
      .prepare(
        `INSERT INTO devices (id, config, created_at) VALUES (?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET config = excluded.config`,
      )
      .run(device.id, config, Date.now());
  }

  listPoints(deviceId?: string): StoredPoint[] {
    const rows = (
      deviceId === undefined
        ? this.#db.prepare('SELECT num, id, config FROM points ORDER BY num').all()
        : this.#db.prepare('SELECT num, id, config FROM points WHERE device_id = ? ORDER BY num').all(deviceId)
    ) as { num: number; id: string; config: string }[];
    return rows.flatMap((row) =>
      this.#parse('point', row.id, row.config, (value) => ({ ...PointSchema.parse(value), num: row.num })),
    );
  }

  savePoint(point: Point): void {
    const config = JSON.stringify(PointSchema.parse(point));
    this.#db
      .prepare(
        `INSERT INTO points (id, device_id, config) VALUES (?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET device_id = excluded.device_id, config = excluded.config`,
      )
      .run(point.id, point.deviceId, config);
  }

  /** Makes `points` the device's whole register map, in one transaction. */
  replacePoints(deviceId: string, points: readonly Point[]): void {
    this.#db.transaction(() => {
      const keep = new Set(points.map((point) => point.id));
      for (const existing of this.listPoints(deviceId)) {
        if (!keep.has(existing.id)) this.#db.prepare('DELETE FROM points WHERE id = ?').run(existing.id);
      }
      for (const point of points) this.savePoint(point);
    })();
  }

  /** Removes a device and its points; with keepHistory false, their samples too. */
  deleteDevice(deviceId: string, keepHistory: boolean): boolean {
    return this.#db.transaction(() => {
      if (!keepHistory) {
        this.#db.prepare('DELETE FROM samples WHERE point IN (SELECT num FROM points WHERE device_id = ?)').run(deviceId);
      }
      this.#db.prepare('DELETE FROM points WHERE device_id = ?').run(deviceId);
      return this.#db.prepare('DELETE FROM devices WHERE id = ?').run(deviceId).changes > 0;
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
