// The marketplace in the core: the catalogue view (cloud or cache), and packages inspected,
// installed, updated, rolled back and uninstalled — from the marketplace or a file, verified the
// same way. Before anything changes: the control list (revoked versions refused), the licence
// (a template with price plans needs a trial or a plan), write permission confirmed, then a backup;
// the change itself is one transaction in the TemplateInstaller, and the previous version is kept.
import semver from 'semver';
import { TemplateManifestSchema, type CatalogueEntry, type TemplateManifest } from '../../shared/cloud/index.ts';
import type { TemplateLicence } from '../../shared/contract/licence-calls.ts';
import type { InstalledTemplate, MarketEntry, PackageInspection, PackageSource } from '../../shared/contract/market-calls.ts';
import { AppError } from '../../shared/errors.ts';
import type { Locale } from '../../shared/i18n/index.ts';
import type { CloudTransport } from '../cloud/transport.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { checkMetersSupported } from '../licensing/metering.ts';
import { TemplateInstaller, verifyPackage, type CreatedItems, type TemplateInstance, type TrustedKey, type VerifiedPackage } from '../templates/index.ts';
import { CatalogueCache, compatibleVersion, filterCatalogue, type CatalogueProblem } from './catalogue-cache.ts';
import { ControlList, type ControlStatus } from './control-list.ts';
import { Orders } from './orders.ts';
import { PackageLoader, type LoadedPackage } from './package-source.ts';

/** What the lead hands in (see the report for the wiring). */
export interface MarketplaceDeps {
  db: Db;
  logger: Logger;
  transport: CloudTransport;
  appVersion: string;
  /** Keys a package may be signed with: the pinned ones and those learned from the cloud. */
  trustedKeys: () => readonly TrustedKey[];
  /** Keys a control list may be signed with (never a development key); `trustedKeys` when not given. */
  controlListKeys?: () => readonly TrustedKey[];
  /** The licence held for a template, its sentence in the given language (LicenceStore.licenceOf). */
  licenceOf: (templateId: string, locale?: Locale) => TemplateLicence | null;
  refreshLicences: () => Promise<void>;
  /** An online backup of the database (StorageService.backup). */
  backup: () => Promise<unknown>;
  /** After a change: the lead reloads devices, alarms, KPIs and emits templates.changed. */
  onInstalled: (change: { instanceIds: string[]; created: CreatedItems }) => void;
  now?: () => number;
  /** Bound of the downloaded-package cache, in bytes. */
  maxPackageCacheBytes?: number;
}

export interface CatalogueResult {
  templates: MarketEntry[];
  refreshedAt: number | null;
  source: 'cloud' | 'cache';
  problem: CatalogueProblem | null;
}

type Installed = { instanceId: string; version: string };

/** A free instance name from the template's own name: `cnc-oee`, `cnc-oee-2`… (at most 24 characters). */
export function suggestInstanceId(templateId: string, taken: ReadonlySet<string>): string {
  const name = templateId.slice(templateId.indexOf('.') + 1);
  const stem = (name.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'template').slice(0, 20);
  if (!taken.has(stem)) return stem;
  for (let number = 2; ; number++) if (!taken.has(`${stem}-${number}`)) return `${stem}-${number}`;
}

/** A template the catalogue does not know needs a licence when its manifest declares licensed features, meters or an outcome. */
function manifestNeedsLicence(manifest: TemplateManifest): boolean {
  return manifest.licence.features.length > 0 || manifest.licence.meters.length > 0 || manifest.licence.outcome !== undefined;
}

export class MarketplaceService {
  readonly catalogue: CatalogueCache;
  readonly controlList: ControlList;
  readonly orders: Orders;
  readonly installer: TemplateInstaller;
  readonly #packages: PackageLoader;
  readonly #deps: MarketplaceDeps;
  readonly #now: () => number;
  readonly #manifestOf;

  constructor(deps: MarketplaceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    const common = { db: deps.db, logger: deps.logger, transport: deps.transport, now: this.#now };
    this.catalogue = new CatalogueCache({ ...common, appVersion: deps.appVersion });
    this.controlList = new ControlList({ ...common, trustedKeys: deps.controlListKeys ?? deps.trustedKeys });
    this.orders = new Orders({ ...common, licenceOf: deps.licenceOf, refreshLicences: deps.refreshLicences });
    this.#packages = new PackageLoader({ ...common, catalogue: this.catalogue, appVersion: deps.appVersion, maxCacheBytes: deps.maxPackageCacheBytes });
    this.installer = new TemplateInstaller(deps.db, deps.logger);
    this.#manifestOf = deps.db.prepare<[string, string], string>('SELECT manifest FROM template_packages WHERE template_id = ? AND version = ?').pluck();
  }

  /** Reads the catalogue and the control list from the cloud (the sync engine calls this at each sync). */
  async refreshCatalogue(): Promise<{ source: 'cloud' | 'cache'; problem: CatalogueProblem | null }> {
    const result = await this.catalogue.refresh();
    const control = await this.controlList.refresh();
    if (control.outcome === 'failed') this.#deps.logger.warn('the control list was not refreshed; the cached one stays in force', { problem: control.problem });
    return result;
  }

  #installedOf(templateId: string): Installed[] {
    return this.installer
      .list()
      .filter((instance) => instance.templateId === templateId)
      .map((instance) => ({ instanceId: instance.instanceId, version: instance.version }));
  }

  #marketEntry(entry: CatalogueEntry, locale: Locale): MarketEntry {
    return {
      entry,
      compatibleVersion: compatibleVersion(entry, this.#deps.appVersion),
      control: this.controlList.statusOf(entry.id, entry.latest.version),
      installed: this.#installedOf(entry.id),
      licence: this.#deps.licenceOf(entry.id, locale),
    };
  }

  /** The catalogue filtered locally (so search works offline); the cloud is asked when told to or when the cache is stale. */
  async browse(filter: { q?: string | undefined; category?: string | undefined; refresh: boolean }, locale: Locale = 'en'): Promise<CatalogueResult> {
    let source: 'cloud' | 'cache' = 'cache';
    let problem: CatalogueProblem | null = null;
    if (filter.refresh || this.catalogue.isStale()) ({ source, problem } = await this.refreshCatalogue());
    const snapshot = this.catalogue.snapshot();
    return { templates: filterCatalogue(snapshot.templates, filter).map((entry) => this.#marketEntry(entry, locale)), refreshedAt: snapshot.refreshedAt, source, problem };
  }

  /** One template of the catalogue (read from the cloud when the cache does not have it). */
  async template(templateId: string, locale: Locale = 'en'): Promise<MarketEntry> {
    return this.#marketEntry(await this.catalogue.require(templateId), locale);
  }

  /** Loads and verifies a package; throws an AppError saying why it cannot be used. */
  async #verified(source: PackageSource): Promise<{ loaded: LoadedPackage; pkg: VerifiedPackage; control: ControlStatus }> {
    const loaded = await this.#packages.load(source);
    const pkg = await verifyPackage(loaded.bytes, { trustedKeys: this.#deps.trustedKeys(), appVersion: this.#deps.appVersion });
    if (source.kind === 'marketplace' && pkg.manifest.id !== source.templateId) {
      throw new AppError('invalid_input', 'market.packageOtherTemplate', { params: { template: source.templateId, packageTemplate: pkg.manifest.id } });
    }
    return { loaded, pkg, control: this.controlList.statusOf(pkg.manifest.id, pkg.manifest.version) };
  }

  /** Verifies a package without installing it and says what it is. */
  async inspect(source: PackageSource): Promise<PackageInspection> {
    const { loaded, pkg, control } = await this.#verified(source);
    const taken = new Set(this.installer.list().map((instance) => instance.instanceId));
    return {
      manifest: pkg.manifest,
      sha256: loaded.sha256,
      size: loaded.bytes.length,
      files: pkg.files.map((file) => ({ path: file.path, size: file.size })),
      control,
      installed: this.#installedOf(pkg.manifest.id),
      suggestedInstanceId: suggestInstanceId(pkg.manifest.id, taken),
    };
  }

  /** Refuses a revoked version, a template with plans but no usable licence, and unconfirmed writes to devices. */
  #checkAllowed(pkg: VerifiedPackage, control: ControlStatus, confirmWrites: boolean): void {
    const { id: template, version } = pkg.manifest;
    if (control.status === 'revoked') {
      throw new AppError('conflict', 'market.versionRevoked', { params: { template, version, reason: control.reason || '—' }, details: { control: 'revoked' } });
    }
    checkMetersSupported(pkg.manifest);
    if (this.#needsLicence(pkg.manifest) && !this.#deps.licenceOf(template)?.premium) {
      throw new AppError('forbidden', 'market.licenceNeeded', { params: { template, name: pkg.manifest.name.en, nameZh: pkg.manifest.name['zh-CN'] } });
    }
    if (pkg.manifest.permissions.includes('write-devices') && !confirmWrites) {
      throw new AppError('invalid_input', 'market.confirmWrites', { params: { template, version }, details: { permission: 'write-devices' } });
    }
  }

  /**
   * Restricted ("no new installs") unless licensed: a template the catalogue sells (it lists price
   * plans), or whose signed manifest declares licensed features, meters or an outcome.
   */
  #needsLicence(manifest: TemplateManifest): boolean {
    // The signed manifest's own declaration counts whatever the (unsigned, cached) catalogue says.
    return this.#sold(manifest.id) === true || manifestNeedsLicence(manifest);
  }

  /** Whether the catalogue sells the template (it lists price plans); undefined when it does not know it. */
  #sold(templateId: string): boolean | undefined {
    const entry = this.catalogue.entry(templateId);
    return entry ? entry.plans.length > 0 : undefined;
  }

  /** Whether an installed template's premium features need a licence, by the rule installs follow. */
  requiresLicence(templateId: string): boolean {
    if (this.#sold(templateId) === true) return true;
    const instance = this.installer.list().find((item) => item.templateId === templateId);
    const manifest = instance && this.#manifest(templateId, instance.version);
    return manifest ? manifestNeedsLicence(manifest) : false;
  }

  /** Takes the backup that must precede every change; if it fails, nothing is changed. */
  async #backUp(action: string, instanceId: string): Promise<void> {
    try {
      await this.#deps.backup();
    } catch (error) {
      const problem = error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error);
      this.#deps.logger.warn('backup before a template change failed; nothing was changed', { action, instanceId, problem });
      throw new AppError('storage_error', 'market.backupFailed', { params: { instance: instanceId, problem }, cause: error });
    }
  }

  #changed(instance: { instanceId: string; created: CreatedItems }): void {
    try {
      this.#deps.onInstalled({ instanceIds: [instance.instanceId], created: instance.created });
    } catch (error) {
      this.#deps.logger.error('reloading after a template change failed', { instanceId: instance.instanceId, problem: error instanceof Error ? error.message : String(error) });
    }
  }

  async install(request: { source: PackageSource; instanceId: string; parameters: Record<string, string | number | boolean>; confirmWrites: boolean }, locale: Locale = 'en'): Promise<InstalledTemplate> {
    const { pkg, control } = await this.#verified(request.source);
    this.#checkAllowed(pkg, control, request.confirmWrites);
    if (this.installer.get(request.instanceId)) {
      throw new AppError('conflict', 'error.templateInstanceExists', { params: { template: pkg.manifest.id, version: pkg.manifest.version, instance: request.instanceId } });
    }
    await this.#backUp('install', request.instanceId);
    const instance = this.installer.install(pkg, { instanceId: request.instanceId, parameters: request.parameters }, { now: this.#now(), locale });
    this.#deps.logger.info('template installed', { instanceId: instance.instanceId, templateId: instance.templateId, version: instance.version });
    this.#changed(instance);
    return this.view(instance, locale);
  }

  async update(request: { instanceId: string; source?: PackageSource | undefined; parameters?: Record<string, string | number | boolean> | undefined; confirmWrites?: boolean }, locale: Locale = 'en'): Promise<InstalledTemplate> {
    const current = this.#existing(request.instanceId);
    let source = request.source;
    if (!source) {
      const newest = await this.#packages.resolveVersion(current.templateId, undefined);
      if (!semver.gt(newest.version, current.version)) {
        throw new AppError('conflict', 'market.noUpdate', { params: { instance: current.instanceId, template: current.templateId, version: current.version } });
      }
      source = { kind: 'marketplace', templateId: current.templateId, version: newest.version };
    }
    const { pkg, control } = await this.#verified(source);
    // Writing to devices is confirmed once: at this update, or at the install of a version that already asked.
    const confirmWrites = request.confirmWrites === true || !pkg.manifest.permissions.includes('write-devices') || this.#manifest(current.templateId, current.version)?.permissions.includes('write-devices') === true;
    this.#checkAllowed(pkg, control, confirmWrites);
    await this.#backUp('update', current.instanceId);
    const instance = this.installer.update(current.instanceId, pkg, request.parameters ? { parameters: request.parameters } : {}, { now: this.#now(), locale });
    this.#deps.logger.info('template updated', { instanceId: instance.instanceId, templateId: instance.templateId, from: current.version, to: instance.version });
    this.#changed(instance);
    return this.view(instance, locale);
  }

  async rollBack(instanceId: string, locale: Locale = 'en'): Promise<InstalledTemplate> {
    const current = this.#existing(instanceId);
    if (!current.previous) throw new AppError('conflict', 'error.templateNoPrevious', { params: { template: current.templateId, version: current.version, instance: instanceId } });
    const control = this.controlList.statusOf(current.templateId, current.previous.version);
    if (control.status === 'revoked') {
      throw new AppError('conflict', 'market.versionRevoked', { params: { template: current.templateId, version: current.previous.version, reason: control.reason || '—' } });
    }
    await this.#backUp('rollBack', instanceId);
    const instance = this.installer.rollBack(instanceId, { now: this.#now(), locale });
    this.#deps.logger.info('template rolled back', { instanceId, templateId: instance.templateId, from: current.version, to: instance.version });
    this.#changed(instance);
    return this.view(instance, locale);
  }

  /** Removes an instance and what it created; keepData keeps the collected history of its devices' points. */
  async uninstall(instanceId: string, keepData: boolean): Promise<{ instanceId: string }> {
    const current = this.#existing(instanceId);
    await this.#backUp('uninstall', instanceId);
    this.installer.uninstall(instanceId, { keepHistory: keepData }, { now: this.#now() });
    this.#deps.logger.info('template uninstalled', { instanceId, templateId: current.templateId, keepData });
    this.#changed({ instanceId, created: current.created });
    return { instanceId };
  }

  installed(locale: Locale = 'en'): InstalledTemplate[] {
    return this.installer.list().map((instance) => this.view(instance, locale));
  }

  #existing(instanceId: string): TemplateInstance {
    const instance = this.installer.get(instanceId);
    if (!instance) throw new AppError('not_found', 'error.templateInstanceNotFound', { params: { instance: instanceId, template: '' } });
    return instance;
  }

  #manifest(templateId: string, version: string): TemplateManifest | undefined {
    const stored = this.#manifestOf.get(templateId, version);
    if (stored === undefined) return undefined;
    const parsed = TemplateManifestSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : undefined;
  }

  /** An instance as the UI shows it. */
  view(instance: TemplateInstance, locale: Locale = 'en'): InstalledTemplate {
    const manifest = this.#manifest(instance.templateId, instance.version);
    const entry = this.catalogue.entry(instance.templateId);
    const newest = entry ? compatibleVersion(entry, this.#deps.appVersion) : null;
    const created = instance.created as CreatedItems & { kpi?: string[] };
    return {
      instanceId: instance.instanceId,
      templateId: instance.templateId,
      version: instance.version,
      name: manifest ? manifest.name : { en: instance.templateId, 'zh-CN': instance.templateId },
      parameters: instance.parameters,
      previousVersion: instance.previous?.version ?? null,
      updateAvailable: newest && semver.gt(newest, instance.version) ? newest : null,
      created: { device: created.device, point: created.point, alarmRule: created.alarmRule, dashboard: created.dashboard, machine: created.machine, kpi: created.kpi ?? [] },
      installedAt: instance.installedAt,
      updatedAt: instance.updatedAt,
      licence: this.#deps.licenceOf(instance.templateId, locale),
      control: this.controlList.statusOf(instance.templateId, instance.version),
    };
  }
}
