// The headless core: opens the store, starts the demo plant and the devices, records history, and
// serves the contract through one dispatcher. It never imports 'electron'; hosts hand it a CoreHost.
//
// Everything that uses the database file — the device store, the historian's writer, the pollers,
// the handlers over them — is the "runtime". The storage service (core/storage/) starts it on the
// file, or on an in-memory stand-in when the file cannot be used, and restarts it on another file
// (a restored backup) without restarting the process. Calls wait while that happens.
import os from 'node:os';
import path from 'node:path';
import { calls, pickLocale, type CallName, type Locale } from '../shared/index.ts';
import { AuditLog } from './audit/audit-log.ts';
import { createDispatcher, type CallContext, type Dispatch, type Handlers } from './contract/dispatcher.ts';
import { DemoPlant, demoConfiguration } from './demo/index.ts';
import { createDeviceHandlers } from './device-handlers.ts';
import { DeviceManager, DeviceStore, type LinkOptions, type PollerOptions, type StoredPoint } from './devices/index.ts';
import { EventBus } from './event-bus.ts';
import { createHandlers } from './handlers.ts';
import { createExportHandlers, ExportService, type ExportServiceOptions } from './historian/export/index.ts';
import { createRetentionHandlers } from './historian/retention-handlers.ts';
import { AlarmService, createAlarmHandlers, demoAlarmRules } from './alarms/index.ts';
import { createDashboardHandlers } from './dashboards/index.ts';
import { createCloudServices, type CloudCallName, type CloudServices } from './cloud/index.ts';
import { createMarketHandlers, MARKET_CALLS_CHANGING_STORED, type MarketplaceService } from './marketplace/index.ts';
import { DEVELOPMENT_MARKETPLACE_KEY, TemplateInstaller } from './templates/index.ts';
import { Meter, OutcomeJob, OutcomeLedger } from './licensing/index.ts';
import { createSyncHandlers, SyncEngine } from './sync/index.ts';
import { APP_VERSION } from './version.ts';
import { createKpiHandlers } from './kpis/kpi-handlers.ts';
import { createKpiDefinitionHandlers } from './kpis/index.ts';
import { plannedStopCheck } from './kpis/planned-stops.ts';
import { renumberRows, SampleWriter, TrendReader, type SampleWriterOptions } from './historian/index.ts';
import type { CoreHost } from './host.ts';
import { SampleBatcher } from './sample-batcher.ts';
import { lockDataDir } from './storage/data-dir-lock.ts';
import type { Db } from './storage/database.ts';
import { createStorageHandlers, type StorageCallName } from './storage/storage-handlers.ts';
import { StorageService, type StorageOptions, type StorageRuntime } from './storage/storage-service.ts';

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
  exports?: ExportServiceOptions;
  /**
   * Trust the development marketplace key (templates/dev-marketplace-key.json, whose private half is in
   * the repository) for packages, never for control lists; default: PLANTDESK_TRUST_DEV_KEY=1.
   */
  trustDevelopmentKey?: boolean;
  /** Backup schedule timing and retries of an unusable file (tests shorten them). */
  storage?: StorageOptions;
  /** The wall clock of metering, outcome statements, the sync and the licence store (tests move it on; real time by default). */
  commerce?: { now?: () => number };
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  /** The database the core runs on now (an in-memory stand-in while the file is unavailable). */
  readonly db: Db;
  /** The database file's state, backups and restore. */
  storage: StorageService;
  demoPlant: DemoPlant | undefined;
  /** History exports (the web host serves their files over plain HTTP). */
  exports: ExportService;
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
  const existingPoints = new Map(store.listPoints().map((point) => [point.id, point]));
  // Demo points stored before points had a kind are analog by default: they get the demo's kind
  // (counters and state codes), which the rollups and KPIs need.
  const points = wanted.points.flatMap((point) => {
    const current = existingPoints.get(point.id);
    if (!current) return [point];
    if (current.kind === 'analog' && point.kind !== 'analog') {
      const { num: _num, ...stored } = current;
      return [{ ...stored, kind: point.kind }];
    }
    return [];
  });
  store.saveAll(devices, points);
}

/** Calls that change what is stored: refused while the file is unavailable (they would be lost). */
const CHANGES_STORED = new Set<CallName>([
  'devices.save',
  'devices.delete',
  'points.write',
  'alarmRules.save',
  'alarmRules.delete',
  'alarmNotifications.set',
  'dashboards.save',
  'dashboards.delete',
  'dashboards.copy',
  'dashboards.import',
  'kpis.setCalendar',
  'kpis.setMachines',
  'kpis.setTariff',
  'stops.setReason',
  'cloud.activate',
  'cloud.setUrl',
  'licences.import',
  'kpis.saveDefinition',
  'kpis.deleteDefinition',
  ...MARKET_CALLS_CHANGING_STORED,
]);
/** Calls that read stored history: they say why there is none while the file is unavailable. */
const READS_HISTORY = new Set<string>(['historian.query', 'historian.startExport', 'kpis.overview', 'kpis.evaluate', 'kpis.value', 'stops.list']);

/** Samples not written when a runtime stopped, with the point ids their numbers stood for. */
interface Unwritten {
  rows: Float64Array;
  count: number;
  pointIds: Map<number, string>;
}

/** Calls served the whole life of the core; every other call is served by the runtime of the moment. */
type LastingCallName = keyof ReturnType<typeof createExportHandlers> | StorageCallName | CloudCallName;
type RuntimeCallName = Exclude<CallName, LastingCallName>;

interface Runtime {
  db: Db;
  available: boolean;
  store: DeviceStore;
  devices: DeviceManager;
  writer: SampleWriter;
  pointIndex: Map<string, StoredPoint>;
  handlers: Pick<Handlers, RuntimeCallName>;
  closeDeviceHandlers(): void;
  alarms: AlarmService;
  closeKpiHandlers(): void;
  market: MarketplaceService;
  sync: SyncEngine;
  meter: Meter;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const { host } = options;
  const logger = host.logger;
  const demo = options.demo ?? true;
  const trustDevelopmentKey = options.trustDevelopmentKey ?? process.env.PLANTDESK_TRUST_DEV_KEY === '1';
  const locale = options.locale ?? pickLocale(undefined);
  const unlock = lockDataDir(host.dataDir, (error) =>
    logger.warn('cannot lock the data folder; going on without the lock', { dir: host.dataDir, error: String(error) }),
  );
  const events = new EventBus();
  const storage = new StorageService(host.dataDir, logger, (payload) => events.emit('storage.statusChanged', payload), options.storage);
  storage.open();

  let demoPlant: DemoPlant | undefined;
  if (demo) {
    demoPlant = new DemoPlant(logger, Date.now(), path.join(host.dataDir, 'demo-plant.json'));
    try {
      await demoPlant.start(options.demoFixedPorts ?? true);
    } catch (error) {
      await demoPlant.stop();
      storage.db.close();
      unlock();
      throw error;
    }
  }

  const startedAt = Date.now();
  const commerceNow = options.commerce?.now;
  const batcher = new SampleBatcher((samples) => events.emit('samples.appended', { samples }));
  let runtime!: Runtime;
  // This PC's identity and licences: made once the first runtime runs (they read its database), before any call is served.
  let cloud: CloudServices | undefined;
  /** Whether a template's premium features (its dashboards and KPIs) may be changed now. */
  const cloudServices = (): CloudServices => {
    if (!cloud) throw new Error('the cloud services are not started yet');
    return cloud;
  };
  /** Whether a template's premium features (its dashboards and KPIs) may be changed now: always for a free template. */
  const premiumAllowed = (templateId: string): boolean => !runtime.market.requiresLicence(templateId) || (cloud?.licences.premiumAllowed(templateId) ?? true);

  const startRuntime = (db: Db, available: boolean, unwritten: Unwritten | undefined): void => {
    const store = new DeviceStore(db, logger);
    // Reads first, before anything starts: a damaged page found here leaves nothing running.
    store.listDevices();
    if (demoPlant) {
      try {
        registerDemoDevices(store, demoPlant, locale);
      } catch (error) {
        // A full disk must not stop the core; the storage status says what is wrong with the file.
        logger.error('cannot point the demo devices at this run\'s demo servers', { error: String(error) });
      }
    }
    const pointIndex = new Map<string, StoredPoint>();
    const reindexPoints = (points = store.listPoints()) => {
      pointIndex.clear();
      for (const point of points) pointIndex.set(point.id, point);
      return points;
    };
    const storedPoints = reindexPoints();
    const writerOptions: SampleWriterOptions = { ...options.writer, onProblem: (problem) => storage.noteWriteProblem(db, problem) };
    const writer = available
      ? new SampleWriter(db, (id) => pointIndex.get(id), logger, {
          thread: { script: options.historianWriterScript ?? new URL('./historian/writer-thread.ts', import.meta.url), file: db.name },
          ...writerOptions,
        })
      : new SampleWriter(undefined, (id) => pointIndex.get(id), logger, { ...writerOptions, thread: undefined });
    if (unwritten && unwritten.count > 0) {
      // Samples held while the file was unavailable (or refused at the switch) go into the new file,
      // under the new file's numbers for the same points.
      const carried = renumberRows(unwritten.rows, unwritten.count, (num) => {
        const id = unwritten.pointIds.get(num);
        return id === undefined ? undefined : pointIndex.get(id)?.num;
      });
      writer.adopt(carried.rows, carried.count);
      logger.info('samples held in memory handed to the database', { samples: carried.count, of: unwritten.count });
    }
    const alarms = new AlarmService({
      db,
      logger,
      onChanged: (payload) => events.emit('alarms.changed', payload),
      onRaised: (payload) => events.emit('alarms.raised', payload),
      pointById: (id) => pointIndex.get(id),
      deviceName: (id) => store.getDevice(id)?.name,
      seedRules: demoPlant ? demoAlarmRules() : [],
      // Alarms of a machine in a break or planned downtime are suppressed (the KPI engine's calendar).
      isSuppressed: plannedStopCheck({ db, logger }),
    });
    const devices = new DeviceManager(
      store,
      logger,
      {
        samples: (samples) => {
          writer.append(samples);
          alarms.evaluate(samples);
          // Held for the next event only while someone listens: held samples outlive the young heap.
          if (events.size > 0) batcher.push(samples);
        },
        status: (status) => {
          alarms.deviceStatus(status);
          events.emit('devices.statusChanged', { status });
        },
      },
      { links: options.links, pollers: options.pollers },
    );
    devices.start(storedPoints);

    const { close: closeDeviceHandlers, ...deviceCalls } = createDeviceHandlers({
      store,
      devices,
      events,
      audit: new AuditLog(db),
      logger,
      pointById: (id) => pointIndex.get(id),
      onConfigurationChanged: (deviceIds) => {
        void reindexPoints();
        devices.reload(deviceIds);
        alarms.configurationChanged();
      },
    });
    const { close: closeKpiHandlers, warm: _warmKpis, ...kpiHandlers } = createKpiHandlers({ db, logger, live: devices });
    const clearKpiCache = db.prepare('DELETE FROM kpi_cache');
    // Metering (pay-after-use), outcome statements (pay-for-results) and the sync that carries them.
    const installer = new TemplateInstaller(db, logger);
    const planOf = (templateId: string) => cloud?.licences.licenceOf(templateId)?.plan ?? null;
    const clockState = (): 'ok' | 'suspect' => (cloud?.licences.clockWarning('en') ? 'suspect' : 'ok');
    const meter = new Meter({ db, instances: () => installer.list(), planOf, clockState, acknowledgedUsage: () => sync.acknowledged('usage'), logger, ...(commerceNow && { now: commerceNow }) });
    const outcomeJob = new OutcomeJob({ db, instances: () => installer.list(), planOf, clockState, logger, ...(commerceNow && { now: commerceNow }) });
    const sync = new SyncEngine({
      db,
      logger,
      ...(commerceNow && { now: commerceNow }),
      transport: { request: (request) => cloudServices().transport.request(request) },
      isActivated: () => cloud?.identity.signer() !== undefined,
      acceptServerTime: (line) => void cloud?.licences.acceptServerTime(line),
      emitStatus: (status) => events.emit('sync.statusChanged', status),
      tasks: {
        record: () => {
          meter.run();
          outcomeJob.run();
        },
        refreshLicences: () => cloudServices().licences.refresh().then(() => undefined),
        refreshCatalogue: () => market.refreshCatalogue(),
      },
    });
    if (available) sync.start();
    const market = createMarketHandlers({
      db,
      logger,
      appVersion: APP_VERSION,
      transport: { request: (request) => cloudServices().transport.request(request) },
      trustedKeys: () => [...(trustDevelopmentKey ? [DEVELOPMENT_MARKETPLACE_KEY] : []), ...(cloud?.identity.trustedKeys() ?? [])],
      controlListKeys: () => cloud?.identity.trustedKeys() ?? [],
      licenceOf: (templateId, locale) => cloudServices().licences.licenceOf(templateId, locale),
      refreshLicences: () => cloudServices().licences.refresh().then(() => undefined),
      backup: () => storage.backup(),
      onInstalled: ({ instanceIds, created }) => {
        reindexPoints();
        devices.reload(created.device);
        alarms.configurationChanged();
        // The installer wrote the template's alarm rules to the database: the running rules are read again.
        alarms.rulesChanged();
        // A template's machines may have new ideal cycle times: closed periods are computed again.
        clearKpiCache.run();
        events.emit('devices.changed', { deviceIds: created.device });
        events.emit('templates.changed', { instanceIds });
      },
    });
    const handlers: Pick<Handlers, RuntimeCallName> = {
      ...createHandlers({
        hostKind: host.kind,
        demo,
        demoEndpoints: () => demoPlant?.endpoints(),
        startedAt,
        store,
        devices,
        trends: new TrendReader(db),
        pointById: (id) => pointIndex.get(id),
      }),
      ...deviceCalls,
      ...createRetentionHandlers({ storage, logger }),
      ...createAlarmHandlers({ alarms, demoPlant }),
      ...createDashboardHandlers({ db, logger, premiumAllowed }),
      ...kpiHandlers,
      ...createKpiDefinitionHandlers({ db, logger, premiumAllowed, evaluate: kpiHandlers['kpis.evaluate'] }),
      ...market.handlers,
      ...createSyncHandlers({ db, engine: sync, meter, outcomes: new OutcomeLedger(db), outcomeProblems: () => outcomeJob.problems() }),
    };
    runtime = { db, available, store, devices, writer, pointIndex, handlers, alarms, closeDeviceHandlers, closeKpiHandlers, market: market.service, sync, meter };
  };

  const stopRuntime = async (): Promise<Unwritten> => {
    const stopping = runtime;
    stopping.closeDeviceHandlers();
    stopping.devices.stop();
    stopping.alarms.close();
    stopping.closeKpiHandlers();
    await stopping.sync.close();
    batcher.flush();
    await stopping.writer.close();
    const { rows, count } = stopping.writer.takeUnwritten();
    const pointIds = new Map([...stopping.pointIndex.values()].map((point) => [point.num, point.id]));
    return { rows, count, pointIds };
  };

  const storageRuntime: StorageRuntime<Unwritten> = {
    start: (db, available, unwritten) => {
      startRuntime(db, available, unwritten);
      // A restored backup may hold another activation.
      if (cloud) void cloud.identity.reload();
      // Lists in the UI hold the devices of the previous database.
      events.emit('devices.changed', { deviceIds: runtime.store.listDevices().map((device) => device.id) });
    },
    stop: stopRuntime,
    backup: (dest) => runtime.writer.backup(dest),
    heldSamples: () => runtime.writer.pending,
  };

  try {
    storage.attach(storageRuntime as StorageRuntime);
  } catch (error) {
    await demoPlant?.stop();
    storage.db.close();
    unlock();
    throw error;
  }

  const exportDeps = {
    get db() {
      return runtime.db;
    },
    dataDir: host.dataDir,
    events,
    logger,
    pointById: (id: string) => runtime.pointIndex.get(id),
    deviceName: (id: string) => runtime.store.getDevice(id)?.name,
  };
  let historyExports: ExportService;
  try {
    historyExports = new ExportService(exportDeps, options.exports);
  } catch (error) {
    // A data folder that cannot be written (the storage status says so) must not stop the core:
    // exports then go to the system's temporary folder.
    logger.warn('cannot use the exports folder in the data folder; exports go to the temporary folder', { error: String(error) });
    historyExports = new ExportService({ ...exportDeps, dataDir: path.join(os.tmpdir(), `plantdesk-${process.pid}`) }, options.exports);
  }

  // Every call goes through here: it waits while the database is being replaced, refuses changes
  // that could not be stored, and turns a failure of the file into a sentence naming it.
  try {
    cloud = await createCloudServices({
      host,
      db: () => runtime.db,
      unreported: (templateId) => runtime.meter.unreported(templateId),
      syncStatus: (locale) => runtime.sync.status(locale),
      onLicencesChanged: (templateIds) => events.emit('licences.changed', { templateIds }),
      ...(commerceNow && { clock: () => ({ wallClock: commerceNow(), monotonic: performance.now() }) }),
    });
  } catch (error) {
    await historyExports.close();
    await stopRuntime();
    await demoPlant?.stop();
    storage.db.close();
    unlock();
    throw error;
  }
  const cloudHandlers = cloud.handlers;
  const lasting: Pick<Handlers, LastingCallName> = {
    ...createExportHandlers(historyExports),
    ...createStorageHandlers(storage),
    ...cloudHandlers,
    // A PC just activated syncs at once: its catalogue, licences and any usage recorded before.
    'cloud.activate': async (input, context) => {
      const status = await cloudHandlers['cloud.activate'](input, context);
      runtime.sync.syncNow().catch((error: unknown) => logger.warn('the first sync after activation failed', { error: String(error) }));
      return status;
    },
  };
  type AnyHandler = (input: unknown, context: CallContext) => unknown;
  const isLasting = (name: CallName): name is LastingCallName => Object.hasOwn(lasting, name);
  const routed = (name: CallName) => async (input: unknown, context: CallContext) => {
    // Storage calls answer at once, even while a restore runs (they do not touch the runtime).
    if (name.startsWith('storage.')) return (lasting[name as StorageCallName] as AnyHandler)(input, context);
    await storage.settled();
    const current = runtime;
    if (!current.available) {
      const importing = name === 'points.importMap' && (input as { mode?: string }).mode !== 'check';
      if (CHANGES_STORED.has(name) || importing) storage.assertWritable();
      if (READS_HISTORY.has(name)) throw storage.problemError();
    }
    const handler = (isLasting(name) ? lasting[name] : current.handlers[name]) as AnyHandler;
    try {
      return await handler(input, context);
    } catch (error) {
      throw storage.translateError(error);
    }
  };
  const handlers = Object.fromEntries((Object.keys(calls) as CallName[]).map((name) => [name, routed(name)])) as unknown as Handlers;
  const dispatch = createDispatcher(handlers, logger, { checkOutputs: options.checkOutputs ?? false });
  logger.info('core started', { dataDir: host.dataDir, demo, storage: storage.state });

  return {
    dispatch,
    events,
    get db() {
      return storage.db;
    },
    storage,
    demoPlant,
    exports: historyExports,
    async close() {
      cloudServices().close();
      await storage.close();
      await historyExports.close();
      const unwritten = await stopRuntime();
      if (unwritten.count > 0) logger.error('samples not written at shutdown: the database refused them', { unwritten: unwritten.count });
      await demoPlant?.stop();
      storage.db.close();
      unlock();
      logger.info('core stopped');
    },
  };
}
