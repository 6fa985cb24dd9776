// The headless core: opens the store, starts the demo plant and the devices, records history, and
// serves the contract through one dispatcher. It never imports 'electron'; hosts hand it a CoreHost.
import path from 'node:path';
import { pickLocale, type Locale } from '../shared/index.ts';
import { createDispatcher, type Dispatch } from './contract/dispatcher.ts';
import { DemoPlant, demoConfiguration } from './demo/index.ts';
import { DeviceManager, DeviceStore, type LinkOptions, type PollerOptions, type StoredPoint } from './devices/index.ts';
import { EventBus } from './event-bus.ts';
import { AuditLog } from './audit/audit-log.ts';
import { createDeviceHandlers } from './device-handlers.ts';
import { createHandlers } from './handlers.ts';
import { SampleWriter, TrendReader, type SampleWriterOptions } from './historian/index.ts';
import type { CoreHost } from './host.ts';
import { SampleBatcher } from './sample-batcher.ts';
import { lockDataDir } from './storage/data-dir-lock.ts';
import { openDatabase, type Db } from './storage/database.ts';

export type { CoreHost, Logger } from './host.ts';
export type { CallContext, Dispatch } from './contract/dispatcher.ts';
export { EventBus } from './event-bus.ts';

export interface CoreOptions {
  host: CoreHost;
  /** Run the built-in demo plant (on by default). */
  demo?: boolean;
  /** Try the documented demo ports first (off in tests, which run several cores at once). */
  demoFixedPorts?: boolean;
  /** Language of names created at first start (demo devices); defaults to Chinese. */
  locale?: Locale;
  /** Validate every call's output against the contract (tests). */
  checkOutputs?: boolean;
  writer?: SampleWriterOptions;
  /** The historian writer thread's script, where the host bundles it elsewhere (Electron). */
  historianWriterScript?: URL;
  links?: LinkOptions;
  pollers?: PollerOptions;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  db: Db;
  demoPlant: DemoPlant | undefined;
  close(): Promise<void>;
}

/** Keeps the demo devices pointing at this run's demo servers, creating them at first start. */
function registerDemoDevices(store: DeviceStore, plant: DemoPlant, locale: Locale): void {
  const wanted = demoConfiguration(plant.ports, locale);
  const existing = new Map(store.listDevices().map((device) => [device.id, device]));
  const devices = wanted.devices.map((device) => {
    const current = existing.get(device.id);
    return current ? { ...current, connection: device.connection } : device;
  });
  const existingPoints = new Set(store.listPoints().map((point) => point.id));
  store.saveAll(devices, wanted.points.filter((point) => !existingPoints.has(point.id)));
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const { host } = options;
  const logger = host.logger;
  const demo = options.demo ?? true;
  const unlock = lockDataDir(host.dataDir);
  let db: Db;
  try {
    db = openDatabase(host.dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  const store = new DeviceStore(db, logger);
  const events = new EventBus();

  let demoPlant: DemoPlant | undefined;
  if (demo) {
    demoPlant = new DemoPlant(logger, Date.now(), path.join(host.dataDir, 'demo-plant.json'));
    try {
      await demoPlant.start(options.demoFixedPorts ?? true);
      registerDemoDevices(store, demoPlant, options.locale ?? pickLocale(undefined));
    } catch (error) {
      await demoPlant.stop();
      db.close();
      unlock();
      throw error;
    }
  }

  let pointIndex = new Map<string, StoredPoint>();
  const reindexPoints = (points = store.listPoints()) => {
    pointIndex = new Map(points.map((point) => [point.id, point]));
    return points;
  };
  const storedPoints = reindexPoints();

  const writer = new SampleWriter(db, (id) => pointIndex.get(id), logger, {
    thread: { script: options.historianWriterScript ?? new URL('./historian/writer-thread.ts', import.meta.url), file: db.name },
    ...options.writer,
  });
  const trends = new TrendReader(db);
  const batcher = new SampleBatcher((samples) => events.emit('samples.appended', { samples }));
  const devices = new DeviceManager(
    store,
    logger,
    {
      samples: (samples) => {
        writer.append(samples);
        // Held for the next event only while someone listens: held samples outlive the young heap.
        if (events.size > 0) batcher.push(samples);
      },
      status: (status) => events.emit('devices.statusChanged', { status }),
    },
    { links: options.links, pollers: options.pollers },
  );
  devices.start(storedPoints);

  const startedAt = Date.now();
  const deviceHandlers = createDeviceHandlers({
    store,
    devices,
    events,
    audit: new AuditLog(db),
    logger,
    pointById: (id) => pointIndex.get(id),
    onConfigurationChanged: (deviceIds) => {
      void reindexPoints();
      devices.reload(deviceIds);
    },
  });
  const { close: closeDeviceHandlers, ...deviceCalls } = deviceHandlers;
  const handlers = {
    ...createHandlers({
      hostKind: host.kind,
      demo,
      startedAt,
      store,
      devices,
      trends,
      pointById: (id) => pointIndex.get(id),
    }),
    ...deviceCalls,
  };
  const dispatch = createDispatcher(handlers, logger, { checkOutputs: options.checkOutputs ?? false });
  logger.info('core started', { dataDir: host.dataDir, demo });

  return {
    dispatch,
    events,
    db,
    demoPlant,
    async close() {
      closeDeviceHandlers();
      devices.stop();
      batcher.flush();
      await writer.close();
      await demoPlant?.stop();
      db.close();
      unlock();
      logger.info('core stopped');
    },
  };
}
