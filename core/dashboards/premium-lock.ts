// The premium lock of solution templates: a dashboard or KPI a template instance created belongs to
// that template, and while the template's licence is locked (decided outside, by the licence code,
// and given here as `premiumAllowed`) it is shown read-only — never hidden. Only the calls that change
// dashboards and KPI definitions ask this policy; data collection, the historian and alarms never do.
import type { PremiumLock } from '../../shared/contract/dashboard-calls.ts';
import { AppError } from '../../shared/errors.ts';
import { translate, type Locale } from '../../shared/i18n/index.ts';
import type { Db } from '../storage/database.ts';

/** Whether a template's premium features (its dashboards and KPIs) may be changed; true when no licence code says otherwise. */
export type PremiumAllowed = (templateId: string) => boolean;

export const premiumAlwaysAllowed: PremiumAllowed = () => true;

/** The template instance that created an item. */
export interface TemplateOwner {
  instanceId: string;
  templateId: string;
}

type LockedKind = 'dashboard' | 'kpi';

export class PremiumLockPolicy {
  readonly #db: Db;
  readonly #allowed: PremiumAllowed;

  constructor(db: Db, allowed: PremiumAllowed = premiumAlwaysAllowed) {
    this.#db = db;
    this.#allowed = allowed;
  }

  /** A database without the template tables (before their migration) has no template items. */
  #hasTemplates(): boolean {
    return this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'template_instances'").get() !== undefined;
  }

  /** The instance whose recorded `created.dashboard` lists the dashboard; null for the plant's own. */
  dashboardOwner(dashboardId: string): TemplateOwner | null {
    if (!this.#hasTemplates()) return null;
    const row = this.#db
      .prepare<[string], TemplateOwner>(
        `SELECT i.instance_id AS instanceId, i.template_id AS templateId
           FROM template_instances i, json_each(i.created, '$.dashboard') d WHERE d.value = ? ORDER BY i.installed_at LIMIT 1`,
      )
      .get(dashboardId);
    return row ?? null;
  }

  /** Every dashboard id created by a template instance, with its owner (one read for a list). */
  dashboardOwners(): Map<string, TemplateOwner> {
    if (!this.#hasTemplates()) return new Map();
    const rows = this.#db
      .prepare<[], TemplateOwner & { dashboardId: string }>(
        `SELECT d.value AS dashboardId, i.instance_id AS instanceId, i.template_id AS templateId
           FROM template_instances i, json_each(i.created, '$.dashboard') d ORDER BY i.installed_at DESC`,
      )
      .all();
    return new Map(rows.map(({ dashboardId, ...owner }) => [dashboardId, owner]));
  }

  /** The owner of an item recorded by its instance id (a KPI definition's owner column); null once the instance is gone. */
  instanceOwner(instanceId: string | null): TemplateOwner | null {
    if (instanceId === null || !this.#hasTemplates()) return null;
    const templateId = this.#db.prepare<[string], string>('SELECT template_id FROM template_instances WHERE instance_id = ?').pluck().get(instanceId);
    return templateId === undefined ? null : { instanceId, templateId };
  }

  /** Why an item of this owner is read-only, in the caller's language; undefined when it may be changed. */
  lockOf(owner: TemplateOwner | null, locale: Locale): PremiumLock | undefined {
    if (!owner || this.#allowed(owner.templateId)) return undefined;
    const templateName = this.templateName(owner, locale);
    return { ...owner, templateName, reason: translate(locale, 'kpidefs.lockedReason', { template: templateName }) };
  }

  /** Refuses a change to an item of a locked template, naming the item, the template and what to do. */
  refuseIfLocked(owner: TemplateOwner | null, kind: LockedKind, name: string, locale: Locale): void {
    if (!owner || this.#allowed(owner.templateId)) return;
    throw new AppError('forbidden', kind === 'dashboard' ? 'error.premiumLockedDashboard' : 'error.premiumLockedKpi', {
      params: { name, template: this.templateName(owner, locale) },
      details: { templateId: owner.templateId, instanceId: owner.instanceId, premiumLocked: true },
    });
  }

  /** The template's name in `locale` from its stored package, else its id. */
  templateName(owner: TemplateOwner, locale: Locale): string {
    if (!this.#hasTemplates()) return owner.templateId;
    const name = this.#db
      .prepare<[string, string], string | null>(
        `SELECT json_extract(p.manifest, '$.name.' || ?) FROM template_instances i
           JOIN template_packages p ON p.template_id = i.template_id AND p.version = i.version WHERE i.instance_id = ?`,
      )
      .pluck()
      .get(locale === 'en' ? 'en' : '"zh-CN"', owner.instanceId);
    return typeof name === 'string' && name !== '' ? name : owner.templateId;
  }
}
