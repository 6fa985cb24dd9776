// Install, update, roll back and uninstall of verified template packages, each as one SQLite
// transaction: the content goes into the app's own tables (devices and points, alarm rules,
// dashboards, KPI machines and KPI definitions) through their stores, the instance is recorded with its parameters and
// everything it created, and the package files of each version in use are kept in the database so a
// roll-back needs no download. If any step fails, nothing is left behind. An instance only ever
// writes and removes its own points: tags it adds to an existing device leave that device's other
// points, and their history, alone.
import semver from 'semver';
import { TemplateManifestSchema, type TemplateManifest } from '../../shared/cloud/index.ts';
import { MACHINES_SETTINGS_KEY, MachineSettingsSchema, type MachineSettings } from '../../shared/domain/machines.ts';
import { AppError } from '../../shared/errors.ts';
import type { Locale, MessageKey } from '../../shared/i18n/index.ts';
import { AlarmStore } from '../alarms/alarm-store.ts';
import { defaultMachineSettings } from '../kpis/defaults.ts';
import { DashboardStore } from '../dashboards/dashboard-store.ts';
import { DeviceStore } from '../devices/device-store.ts';
import { KpiDefinitionStore } from '../kpis/definition-store.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';
import { InstanceIdSchema, readTemplateContent, type ContentContext, type ContentSource, type TemplateContent, type TemplateParameters } from './template-content.ts';
import type { VerifiedPackage } from './verify-package.ts';

/** The steps of an install, update, roll-back or uninstall, in order; errors name the step. */
export const TEMPLATE_STEPS = ['parameters', 'content', 'devices', 'points', 'alarmRules', 'dashboards', 'machines', 'kpis', 'remove', 'package', 'record'] as const;
export type TemplateStep = (typeof TEMPLATE_STEPS)[number];

export const CREATED_KINDS = ['device', 'point', 'alarmRule', 'dashboard', 'machine', 'kpi'] as const;
export type CreatedKind = (typeof CREATED_KINDS)[number];

/** What an instance created, by kind: the ids it owns (and removes when uninstalled). Instances recorded before a kind existed read it as []. */
export type CreatedItems = Record<CreatedKind, string[]>;

export interface TemplateInstance {
  instanceId: string;
  templateId: string;
  version: string;
  parameters: TemplateParameters;
  created: CreatedItems;
  /** The version before the last update, kept for roll-back. */
  previous: { version: string; parameters: TemplateParameters } | null;
  installedAt: number;
  updatedAt: number;
}

export interface TemplateOperationOptions {
  /** Called as each step begins, inside the transaction (progress; tests inject failures here). */
  onStep?: (step: TemplateStep) => void;
  now?: number;
  /** The language of names the package gives in both languages (the installing user's); zh-CN by default. */
  locale?: Locale;
}

type InstanceRow = {
  instance_id: string;
  template_id: string;
  version: string;
  parameters: string;
  created: string;
  previous_version: string | null;
  previous_parameters: string | null;
  installed_at: number;
  updated_at: number;
};

const STEP_KEYS: Record<TemplateStep, MessageKey> = {
  parameters: 'error.templateStep.parameters',
  content: 'error.templateStep.content',
  devices: 'error.templateStep.devices',
  points: 'error.templateStep.points',
  alarmRules: 'error.templateStep.alarmRules',
  dashboards: 'error.templateStep.dashboards',
  machines: 'error.templateStep.machines',
  kpis: 'error.templateStep.kpis',
  remove: 'error.templateStep.remove',
  package: 'error.templateStep.package',
  record: 'error.templateStep.record',
};

const noneCreated = (): CreatedItems => ({ device: [], point: [], alarmRule: [], dashboard: [], machine: [], kpi: [] });

function createdBy(content: TemplateContent): CreatedItems {
  return {
    device: content.devices.map((item) => item.id),
    point: content.points.map((item) => item.id),
    alarmRule: content.alarmRules.map((item) => item.id),
    dashboard: content.dashboards.map((item) => item.id),
    machine: content.machines.map((item) => item.id),
    kpi: content.kpiDefinitions.map((item) => item.id),
  };
}

/** Installs and manages template instances in one database. */
export class TemplateInstaller {
  readonly #db: Db;
  readonly #devices: DeviceStore;
  readonly #alarms: AlarmStore;
  readonly #dashboards: DashboardStore;
  readonly #kpiDefinitions: KpiDefinitionStore;
  readonly #settings: Settings;
  readonly #sql;

  constructor(db: Db, logger: Logger) {
    this.#db = db;
    this.#devices = new DeviceStore(db, logger);
    this.#alarms = new AlarmStore(db, logger);
    this.#dashboards = new DashboardStore(db, logger);
    // Its statements are prepared on first use: a template without KPI definitions never touches the table.
    this.#kpiDefinitions = new KpiDefinitionStore(db, logger);
    this.#settings = new Settings(db, logger);
    this.#sql = {
      instances: db.prepare<[], InstanceRow>('SELECT * FROM template_instances ORDER BY installed_at, instance_id'),
      instance: db.prepare<[string], InstanceRow>('SELECT * FROM template_instances WHERE instance_id = ?'),
      saveInstance: db.prepare(`
        INSERT INTO template_instances (instance_id, template_id, version, parameters, created, previous_version, previous_parameters, installed_at, updated_at)
        VALUES (@instanceId, @templateId, @version, @parameters, @created, @previousVersion, @previousParameters, @installedAt, @updatedAt)
        ON CONFLICT(instance_id) DO UPDATE SET version = excluded.version, parameters = excluded.parameters, created = excluded.created,
          previous_version = excluded.previous_version, previous_parameters = excluded.previous_parameters, updated_at = excluded.updated_at`),
      deleteInstance: db.prepare('DELETE FROM template_instances WHERE instance_id = ?'),
      hasPackage: db.prepare<[string, string], number>('SELECT 1 FROM template_packages WHERE template_id = ? AND version = ?').pluck(),
      package: db.prepare<[string, string], { manifest: string }>('SELECT manifest FROM template_packages WHERE template_id = ? AND version = ?'),
      packageFiles: db.prepare<[string, string], { path: string; bytes: Buffer }>('SELECT path, bytes FROM template_package_files WHERE template_id = ? AND version = ? ORDER BY path'),
      insertPackage: db.prepare('INSERT INTO template_packages (template_id, version, manifest, signature, stored_at) VALUES (?, ?, ?, ?, ?)'),
      insertFile: db.prepare('INSERT INTO template_package_files (template_id, version, path, size, sha256, bytes) VALUES (?, ?, ?, ?, ?, ?)'),
      // Package versions no instance uses, now or for roll-back.
      pruneFiles: db.prepare(`DELETE FROM template_package_files WHERE NOT EXISTS (SELECT 1 FROM template_instances i WHERE i.template_id = template_package_files.template_id
        AND (i.version = template_package_files.version OR i.previous_version = template_package_files.version))`),
      prunePackages: db.prepare(`DELETE FROM template_packages WHERE NOT EXISTS (SELECT 1 FROM template_instances i WHERE i.template_id = template_packages.template_id
        AND (i.version = template_packages.version OR i.previous_version = template_packages.version))`),
      deviceExists: db.prepare<[string], number>('SELECT 1 FROM devices WHERE id = ?').pluck(),
      pointDevice: db.prepare<[string], string>('SELECT device_id FROM points WHERE id = ?').pluck(),
      // One point and, when asked, its history: the device store removes points only by device or whole map.
      ruleExists: db.prepare<[string], number>('SELECT 1 FROM alarm_rules WHERE id = ?').pluck(),
      dashboardExists: db.prepare<[string], number>('SELECT 1 FROM dashboards WHERE id = ?').pluck(),
      machinesSetting: db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck(),
    };
  }

  /** Every installed instance. */
  list(): TemplateInstance[] {
    return this.#sql.instances.all().map(toInstance);
  }

  get(instanceId: string): TemplateInstance | undefined {
    const row = this.#sql.instance.get(instanceId);
    return row ? toInstance(row) : undefined;
  }

  /** Installs a verified package as a new instance with the user's parameters: all of it, or nothing. */
  install(pkg: VerifiedPackage, request: { instanceId: string; parameters: TemplateParameters }, options: TemplateOperationOptions = {}): TemplateInstance {
    const source = sourceOf(pkg);
    const context = { template: pkg.manifest.id, version: pkg.manifest.version, instance: request.instanceId };
    return this.#transaction(context, options, (step) => {
      step('parameters');
      if (!InstanceIdSchema.safeParse(request.instanceId).success) {
        throw new AppError('invalid_input', 'error.templateInstanceIdInvalid', { params: context });
      }
      if (this.#sql.instance.get(request.instanceId)) throw new AppError('conflict', 'error.templateInstanceExists', { params: context });
      const parameters = this.#resolveParameters(source.manifest, request.parameters, context);
      const created = this.#apply(source, parameters, noneCreated(), context, step, options.locale);
      step('package');
      this.#storePackage(pkg);
      step('record');
      const now = options.now ?? Date.now();
      const instance: TemplateInstance = { instanceId: request.instanceId, templateId: pkg.manifest.id, version: pkg.manifest.version, parameters, created, previous: null, installedAt: now, updatedAt: now };
      this.#record(instance);
      return instance;
    });
  }

  /**
   * Moves an instance to a newer verified version of its template, keeping the user's parameters
   * (changed ones given in `parameters`), the points' numbers (so their history) and the current
   * version for roll-back.
   */
  update(instanceId: string, pkg: VerifiedPackage, request: { parameters?: TemplateParameters } = {}, options: TemplateOperationOptions = {}): TemplateInstance {
    const current = this.#existing(instanceId, pkg.manifest.id);
    const context = { template: pkg.manifest.id, version: pkg.manifest.version, instance: instanceId };
    if (current.templateId !== pkg.manifest.id) {
      throw new AppError('conflict', 'error.templateOtherTemplate', { params: { ...context, installedTemplate: current.templateId } });
    }
    if (!semver.gt(pkg.manifest.version, current.version)) {
      throw new AppError('conflict', 'error.templateNotNewer', { params: { ...context, installed: current.version } });
    }
    const source = sourceOf(pkg);
    return this.#transaction(context, options, (step) => {
      step('parameters');
      const parameters = this.#resolveParameters(source.manifest, { ...current.parameters, ...request.parameters }, context);
      const created = this.#apply(source, parameters, current.created, context, step, options.locale);
      step('package');
      this.#storePackage(pkg);
      step('record');
      const instance: TemplateInstance = {
        ...current,
        version: pkg.manifest.version,
        parameters,
        created,
        previous: { version: current.version, parameters: current.parameters },
        updatedAt: options.now ?? Date.now(),
      };
      this.#record(instance);
      return instance;
    });
  }

  /** Restores the version an instance had before its last update, with the parameters it had then. */
  rollBack(instanceId: string, options: TemplateOperationOptions = {}): TemplateInstance {
    const current = this.#existing(instanceId);
    const previous = current.previous;
    const context = { template: current.templateId, version: previous?.version ?? current.version, instance: instanceId };
    if (!previous) throw new AppError('conflict', 'error.templateNoPrevious', { params: context });
    return this.#transaction(context, options, (step) => {
      step('package');
      const source = this.#storedPackage(current.templateId, previous.version, context);
      step('parameters');
      const parameters = this.#resolveParameters(source.manifest, previous.parameters, context);
      const created = this.#apply(source, parameters, current.created, context, step, options.locale);
      step('record');
      const instance: TemplateInstance = { ...current, version: previous.version, parameters, created, previous: null, updatedAt: options.now ?? Date.now() };
      this.#record(instance);
      return instance;
    });
  }

  /** Removes what an instance created; with keepHistory false, its points' collected history too. */
  uninstall(instanceId: string, request: { keepHistory: boolean }, options: TemplateOperationOptions = {}): void {
    const current = this.#existing(instanceId);
    const context = { template: current.templateId, version: current.version, instance: instanceId };
    this.#transaction(context, options, (step) => {
      step('remove');
      this.#remove(current.created, noneCreated(), request.keepHistory);
      step('record');
      this.#sql.deleteInstance.run(instanceId);
      this.#sql.prunePackages.run();
      this.#sql.pruneFiles.run();
    });
  }

  #existing(instanceId: string, template = ''): TemplateInstance {
    const instance = this.get(instanceId);
    if (!instance) throw new AppError('not_found', 'error.templateInstanceNotFound', { params: { instance: instanceId, template } });
    return instance;
  }

  /** Runs `work` in one transaction; a failure that is not already an AppError is reported as the step's. */
  #transaction<T>(context: ContentContext, options: TemplateOperationOptions, work: (step: (name: TemplateStep) => void) => T): T {
    let current: TemplateStep = 'parameters';
    const step = (name: TemplateStep) => {
      current = name;
      options.onStep?.(name);
    };
    try {
      return this.#db.transaction(() => work(step)).immediate();
    } catch (error) {
      if (error instanceof AppError) throw error;
      const problem = error instanceof Error ? error.message : String(error);
      const constraint = typeof (error as { code?: unknown }).code === 'string' && String((error as { code: string }).code).startsWith('SQLITE_CONSTRAINT');
      throw new AppError(constraint ? 'conflict' : 'storage_error', STEP_KEYS[current], { params: { ...context, problem }, details: { step: current }, cause: error });
    }
  }

  /** The parameters the manifest declares, from the user's values and the defaults, each of its type. */
  #resolveParameters(manifest: TemplateManifest, given: TemplateParameters, context: ContentContext): TemplateParameters {
    const resolved: TemplateParameters = {};
    const invalid = (parameter: string, problem: string): never => {
      throw new AppError('invalid_input', 'error.templateParameterInvalid', { params: { ...context, parameter, problem }, details: { parameter, problem } });
    };
    for (const declared of manifest.parameters) {
      const value = given[declared.id] ?? declared.default;
      if (value === undefined || value === '') {
        if (declared.required) invalid(declared.id, 'is required');
        continue;
      }
      switch (declared.type) {
        case 'string':
          if (typeof value !== 'string') invalid(declared.id, 'must be text');
          break;
        case 'number':
          if (typeof value !== 'number' || !Number.isFinite(value)) invalid(declared.id, 'must be a number');
          break;
        case 'integer':
          if (typeof value !== 'number' || !Number.isInteger(value)) invalid(declared.id, 'must be a whole number');
          break;
        case 'boolean':
          if (typeof value !== 'boolean') invalid(declared.id, 'must be yes or no');
          break;
        case 'device':
          if (typeof value !== 'string' || !this.#sql.deviceExists.get(value)) invalid(declared.id, `must name an existing device (${String(value)})`);
          break;
        case 'point':
          if (typeof value !== 'string' || this.#sql.pointDevice.get(value) === undefined) invalid(declared.id, `must name an existing point (${String(value)})`);
          break;
      }
      resolved[declared.id] = value;
    }
    return resolved;
  }

  /**
   * Writes the content for these parameters over what the instance created before (`owned`): new
   * items are added, existing ones rewritten in place (a point keeps its number), items the content
   * no longer has are removed with their history kept. Refuses ids that belong to something else.
   */
  #apply(source: ContentSource, parameters: TemplateParameters, owned: CreatedItems, context: ContentContext, step: (name: TemplateStep) => void, locale?: Locale): CreatedItems {
    step('content');
    const content = readTemplateContent(source, parameters, locale ? { ...context, locale } : context);
    const created = createdBy(content);
    const taken = (kind: CreatedKind, id: string, exists: boolean) => {
      if (exists && !owned[kind].includes(id)) throw new AppError('conflict', 'error.templateIdTaken', { params: { ...context, id }, details: { kind, id } });
    };

    step('devices');
    for (const device of content.devices) taken('device', device.id, this.#sql.deviceExists.get(device.id) !== undefined);
    for (const device of content.devices) this.#devices.saveDevice(device);

    step('points');
    const ownDevices = new Set(content.devices.map((device) => device.id));
    for (const point of content.points) {
      // Tags for an existing device: it must still be there (an update after it was deleted, a literal id).
      if (!ownDevices.has(point.deviceId) && this.#sql.deviceExists.get(point.deviceId) === undefined) {
        throw new AppError('not_found', 'error.templateTagDeviceMissing', { params: { ...context, device: point.deviceId }, details: { device: point.deviceId, point: point.id } });
      }
      taken('point', point.id, this.#sql.pointDevice.get(point.id) !== undefined);
    }
    // Point by point, so a point keeps its number and the devices' other points stay; dropped ones go in 'remove'.
    for (const point of content.points) this.#devices.savePoint(point);

    step('alarmRules');
    for (const rule of content.alarmRules) taken('alarmRule', rule.id, this.#sql.ruleExists.get(rule.id) !== undefined);
    for (const rule of content.alarmRules) this.#alarms.saveRule(rule);

    step('dashboards');
    for (const dashboard of content.dashboards) taken('dashboard', dashboard.id, this.#sql.dashboardExists.get(dashboard.id) !== undefined);
    for (const dashboard of content.dashboards) this.#dashboards.save(dashboard);

    step('machines');
    if (content.machines.length > 0 || owned.machine.length > 0 || content.plantMeter) {
      const settings = this.#machineSettings(locale);
      for (const machine of content.machines) taken('machine', machine.id, settings.machines.some((existing) => existing.id === machine.id));
      const byId = new Map(content.machines.map((machine) => [machine.id, machine]));
      const kept = settings.machines.flatMap((machine) => (byId.has(machine.id) ? [byId.get(machine.id)!] : owned.machine.includes(machine.id) ? [] : [machine]));
      const added = content.machines.filter((machine) => !settings.machines.some((existing) => existing.id === machine.id));
      // The template's meter becomes the plant's meter only where the plant has none (or had this instance's).
      const ownsPlantMeter = settings.plantMeter === null || owned.point.includes(settings.plantMeter.pointId);
      const plantMeter = content.plantMeter && ownsPlantMeter ? content.plantMeter : settings.plantMeter;
      this.#settings.write(MACHINES_SETTINGS_KEY, MachineSettingsSchema, { ...settings, machines: [...kept, ...added], plantMeter });
    }

    step('kpis');
    for (const definition of content.kpiDefinitions) taken('kpi', definition.id, this.#kpiDefinitions.ownerOf(definition.id) !== undefined);
    for (const definition of content.kpiDefinitions) this.#kpiDefinitions.save(definition, context.instance);

    step('remove');
    this.#remove(owned, created, true);
    return created;
  }

  /** Removes what `owned` has and `keep` does not. */
  #remove(owned: CreatedItems, keep: CreatedItems, keepHistory: boolean): void {
    const gone = (kind: CreatedKind) => owned[kind].filter((id) => !keep[kind].includes(id));
    for (const id of gone('alarmRule')) this.#alarms.deleteRule(id);
    for (const id of gone('dashboard')) this.#dashboards.delete(id);
    for (const id of gone('kpi')) this.#kpiDefinitions.delete(id);
    const machines = gone('machine');
    const points = gone('point');
    const settings = machines.length > 0 || points.length > 0 ? this.#machineSettings() : undefined;
    if (settings && (machines.length > 0 || (settings.plantMeter && points.includes(settings.plantMeter.pointId)))) {
      this.#settings.write(MACHINES_SETTINGS_KEY, MachineSettingsSchema, {
        ...settings,
        machines: settings.machines.filter((machine) => !machines.includes(machine.id)),
        // The plant's meter leaves with the point it read.
        plantMeter: settings.plantMeter && points.includes(settings.plantMeter.pointId) ? null : settings.plantMeter,
      });
    }
    // The instance's own points, wherever they are (on an existing device, tags); a device's remaining points go with it.
    this.#devices.deletePoints(points, keepHistory);
    for (const id of gone('device')) this.#devices.deleteDevice(id, keepHistory);
  }

  /** The stored KPI machines; a stored document that does not fit is an error, never overwritten. */
  #machineSettings(locale: Locale = 'zh-CN'): MachineSettings {
    const stored = this.#sql.machinesSetting.get(MACHINES_SETTINGS_KEY);
    // Nothing saved yet: the machines the KPI pages show by default (the demo's), as they do.
    if (stored === undefined) return defaultMachineSettings(locale, (deviceId) => this.#sql.deviceExists.get(deviceId) !== undefined);
    return MachineSettingsSchema.parse(JSON.parse(stored));
  }

  #storePackage(pkg: VerifiedPackage): void {
    const { id, version } = pkg.manifest;
    if (this.#sql.hasPackage.get(id, version)) return;
    this.#sql.insertPackage.run(id, version, JSON.stringify(pkg.manifest), JSON.stringify(pkg.signature), Date.now());
    for (const file of pkg.files) this.#sql.insertFile.run(id, version, file.path, file.size, file.sha256, file.bytes);
  }

  #storedPackage(templateId: string, version: string, context: ContentContext): ContentSource {
    const row = this.#sql.package.get(templateId, version);
    if (!row) throw new AppError('not_found', 'error.templatePackageMissing', { params: context });
    const manifest = TemplateManifestSchema.parse(JSON.parse(row.manifest));
    return { manifest, files: new Map(this.#sql.packageFiles.all(templateId, version).map((file) => [file.path, file.bytes])) };
  }

  #record(instance: TemplateInstance): void {
    this.#sql.saveInstance.run({
      instanceId: instance.instanceId,
      templateId: instance.templateId,
      version: instance.version,
      parameters: JSON.stringify(instance.parameters),
      created: JSON.stringify(instance.created),
      previousVersion: instance.previous?.version ?? null,
      previousParameters: instance.previous ? JSON.stringify(instance.previous.parameters) : null,
      installedAt: instance.installedAt,
      updatedAt: instance.updatedAt,
    });
    this.#sql.prunePackages.run();
    this.#sql.pruneFiles.run();
  }
}

function sourceOf(pkg: VerifiedPackage): ContentSource {
  return { manifest: pkg.manifest, files: new Map(pkg.files.map((file) => [file.path, file.bytes])) };
}

function toInstance(row: InstanceRow): TemplateInstance {
  return {
    instanceId: row.instance_id,
    templateId: row.template_id,
    version: row.version,
    parameters: JSON.parse(row.parameters) as TemplateParameters,
    created: { ...noneCreated(), ...(JSON.parse(row.created) as Partial<CreatedItems>) },
    previous: row.previous_version === null ? null : { version: row.previous_version, parameters: JSON.parse(row.previous_parameters ?? '{}') as TemplateParameters },
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
}
