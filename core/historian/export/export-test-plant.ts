// A small plant for the export tests, in a real database file: a press line with Chinese names and
// units, stored through the real schema and DeviceStore; samples are inserted directly, as the
// historian's writer stores them. Only tests import this.
import { DeviceSchema, PointSchema } from '../../../shared/index.ts';
import { DeviceStore, type StoredPoint } from '../../devices/index.ts';
import { EventBus } from '../../event-bus.ts';
import { silentLogger } from '../../host.ts';
import { openDatabase, type Db } from '../../storage/database.ts';
import { ExportService, type ExportServiceOptions } from './export-service.ts';

export const DEVICE = DeviceSchema.parse({ id: 'press1', name: '冲压机 1', connection: { kind: 'tcp', host: '127.0.0.1', port: 5020 }, enabled: false });
export const METER = DeviceSchema.parse({ id: 'meter1', name: 'Meter 1', connection: { kind: 'tcp', host: '127.0.0.1', port: 5021 }, enabled: false });
export const POINTS = [
  PointSchema.parse({ id: 'press1.temp', deviceId: 'press1', name: '油温', unit: '°C', address: 0, dataType: 'int16' }),
  PointSchema.parse({ id: 'press1.pressure', deviceId: 'press1', name: 'Pressure', unit: 'bar', address: 1, dataType: 'int16' }),
  PointSchema.parse({ id: 'press1.count', deviceId: 'press1', name: 'Count', address: 2, dataType: 'uint16' }),
  PointSchema.parse({ id: 'meter1.power', deviceId: 'meter1', name: 'Power', unit: 'kW', address: 0, dataType: 'float32' }),
];

/** Stored sample: time, value (null for none), quality code (0 good, 1 stale, 2 bad). */
export type Row = readonly [ts: number, value: number | null, quality?: number];

export interface TestPlant {
  db: Db;
  store: DeviceStore;
  events: EventBus;
  points: Map<string, StoredPoint>;
  addSamples: (pointId: string, rows: readonly Row[]) => void;
  service: (options?: ExportServiceOptions) => ExportService;
}

/** Opens the database in `dataDir` with the press line's devices and points saved. */
export function openTestPlant(dataDir: string): TestPlant {
  const db = openDatabase(dataDir);
  const store = new DeviceStore(db, silentLogger);
  store.saveAll([DEVICE, METER], POINTS);
  const points = new Map(store.listPoints().map((point) => [point.id, point]));
  const events = new EventBus();
  const insert = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)');
  return {
    db,
    store,
    events,
    points,
    addSamples: (pointId, rows) => {
      const num = points.get(pointId)!.num;
      db.transaction(() => {
        for (const [ts, value, quality] of rows) insert.run(num, ts, value, quality ?? (value === null ? 2 : 0));
      })();
    },
    service: (options) =>
      new ExportService(
        { db, dataDir, events, logger: silentLogger, pointById: (id) => points.get(id), deviceName: (id) => store.getDevice(id)?.name },
        options,
      ),
  };
}
