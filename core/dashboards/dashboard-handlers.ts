// The core's implementation of the dashboard calls (shared/contract/dashboard-calls.ts): built-in
// dashboards from PlantDesk (and later its templates) beside the plant's own, stored ones.
import type { z } from 'zod';
import type { DashboardCallName, DashboardCalls, DashboardView } from '../../shared/contract/dashboard-calls.ts';
import { dashboardToJson, parseDashboardJson, PLANT_OVERVIEW, type Dashboard } from '../../shared/domain/dashboards.ts';
import { AppError } from '../../shared/errors.ts';
import type { Locale } from '../../shared/i18n/index.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { zodErrorMap } from '../contract/zod-locale.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { DashboardStore, type StoredDashboard } from './dashboard-store.ts';
import { PremiumLockPolicy, type PremiumAllowed } from './premium-lock.ts';

export interface DashboardHandlerDeps {
  db: Db;
  logger: Logger;
  /** Read-only dashboards shipped with PlantDesk and its templates; the plant overview by default. */
  builtIns?: () => readonly Dashboard[];
  now?: () => number;
  /**
   * Whether a template's premium features may be changed (the licence code decides; always by
   * default). A dashboard a template created is read-only while its template is not allowed.
   */
  premiumAllowed?: PremiumAllowed;
}

/** The handlers, typed from the dashboard calls alone, so they fit the dispatcher's `Handlers` once wired. */
export type DashboardHandlers = {
  [Name in DashboardCallName]: (
    input: z.output<DashboardCalls[Name]['input']>,
    context: CallContext,
  ) => z.output<DashboardCalls[Name]['output']>;
};

const MAX_ID_LENGTH = 64;

/**
 * The first of `base`, `base-2`, `base-3`… that no dashboard has.
 * @example freeId('plant-overview-copy', new Set(['plant-overview-copy'])) // → 'plant-overview-copy-2'
 */
export function freeId(base: string, taken: ReadonlySet<string>): string {
  const stem = base.slice(0, MAX_ID_LENGTH - 4).replace(/[^A-Za-z0-9_.-]/g, '-') || 'dashboard';
  if (!taken.has(stem)) return stem;
  for (let number = 2; ; number++) {
    const candidate = `${stem}-${number}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The name of a copy in both languages: "Plant overview (copy)", "工厂总览（副本）", then numbered. */
export function copyName(name: Dashboard['name'], takenNames: readonly Dashboard['name'][]): Dashboard['name'] {
  const taken = (candidate: Dashboard['name']) =>
    takenNames.some((other) => other.en === candidate.en || other['zh-CN'] === candidate['zh-CN']);
  for (let number = 1; ; number++) {
    const candidate = {
      en: `${name.en} (copy${number > 1 ? ` ${number}` : ''})`.slice(0, 80),
      'zh-CN': `${name['zh-CN']}（副本${number > 1 ? ` ${number}` : ''}）`.slice(0, 80),
    };
    if (!taken(candidate)) return candidate;
  }
}

/** A file name from a dashboard's name, safe on Windows: "Plant overview.dashboard.json". */
export function exportFileName(dashboard: Dashboard, locale: Locale): string {
  const name = (locale === 'en' ? dashboard.name.en : dashboard.name['zh-CN'])
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return `${name || dashboard.id}.dashboard.json`;
}

export function createDashboardHandlers(deps: DashboardHandlerDeps): DashboardHandlers {
  const store = new DashboardStore(deps.db, deps.logger);
  const builtIns = deps.builtIns ?? (() => [PLANT_OVERVIEW]);
  const now = deps.now ?? Date.now;
  const premium = new PremiumLockPolicy(deps.db, deps.premiumAllowed);

  const builtIn = (id: string) => builtIns().find((dashboard) => dashboard.id === id);
  const builtInView = (dashboard: Dashboard): DashboardView => ({ dashboard, builtIn: true, revision: 0, updatedAt: null });
  const storedView = (stored: StoredDashboard, locale: Locale): DashboardView => {
    const lockedBy = premium.lockOf(premium.dashboardOwner(stored.dashboard.id), locale);
    return { dashboard: stored.dashboard, builtIn: false, revision: stored.revision, updatedAt: stored.updatedAt, ...(lockedBy && { lockedBy }) };
  };
  const nameIn = (name: Dashboard['name'], locale: Locale) => (locale === 'en' ? name.en : name['zh-CN']);
  /** Refuses a change to a dashboard a template with a locked licence created (or one of a built-in's id). */
  const refuseReadOnly = (id: string, locale: Locale) => {
    const shipped = builtIn(id);
    if (shipped) throw new AppError('forbidden', 'error.dashboardBuiltIn', { params: { name: nameIn(shipped.name, locale) } });
    const stored = store.get(id);
    const name = stored && stored !== 'invalid' ? nameIn(stored.dashboard.name, locale) : id;
    premium.refuseIfLocked(premium.dashboardOwner(id), 'dashboard', name, locale);
  };
  const takenIds = () => new Set([...store.ids(), ...builtIns().map((dashboard) => dashboard.id)]);
  const takenNames = () => [...builtIns(), ...store.list().map((stored) => stored.dashboard)].map((dashboard) => dashboard.name);

  const find = (id: string, locale: Locale): DashboardView => {
    const shipped = builtIn(id);
    if (shipped) return builtInView(shipped);
    const stored = store.get(id);
    if (stored === 'invalid') {
      throw new AppError('invalid_input', 'error.dashboardInvalid', { params: { count: 1, problems: id } });
    }
    if (!stored) throw new AppError('not_found', 'error.dashboardNotFound', { params: { id } });
    return storedView(stored, locale);
  };

  const insertNew = (dashboard: Dashboard, locale: Locale): DashboardView => {
    const saved = store.save(dashboard, undefined, now());
    // A new id cannot be taken between choosing it and writing it: calls run one at a time here.
    if (saved === 'changed') throw new AppError('conflict', 'error.dashboardChanged', { params: { name: nameIn(dashboard.name, locale) } });
    return storedView(saved, locale);
  };

  return {
    'dashboards.list': (_input, context) => {
      const owners = premium.dashboardOwners();
      return [
        ...builtIns().map((dashboard) => ({
          id: dashboard.id,
          name: dashboard.name,
          builtIn: true,
          widgetCount: dashboard.widgets.length,
          updatedAt: null,
        })),
        ...store.list().map((stored) => {
          const lockedBy = premium.lockOf(owners.get(stored.dashboard.id) ?? null, context.locale);
          return {
            id: stored.dashboard.id,
            name: stored.dashboard.name,
            builtIn: false,
            widgetCount: stored.dashboard.widgets.length,
            updatedAt: stored.updatedAt,
            ...(lockedBy && { lockedBy }),
          };
        }),
      ];
    },

    'dashboards.get': ({ id }, context) => find(id, context.locale),

    'dashboards.save': ({ dashboard, revision }, context) => {
      refuseReadOnly(dashboard.id, context.locale);
      const saved = store.save(dashboard, revision, now());
      if (saved === 'changed') {
        throw new AppError('conflict', 'error.dashboardChanged', {
          params: { name: context.locale === 'en' ? dashboard.name.en : dashboard.name['zh-CN'] },
        });
      }
      deps.logger.info('dashboard saved', { id: dashboard.id, revision: saved.revision, actor: context.actor });
      return storedView(saved, context.locale);
    },

    'dashboards.delete': ({ id }, context) => {
      refuseReadOnly(id, context.locale);
      if (!store.delete(id)) throw new AppError('not_found', 'error.dashboardNotFound', { params: { id } });
      deps.logger.info('dashboard deleted', { id, actor: context.actor });
      return { id };
    },

    // A copy is the plant's own, even of a locked template's dashboard: the way to change one now.
    'dashboards.copy': ({ id, name }, context) => {
      const source = find(id, context.locale).dashboard;
      const copy: Dashboard = {
        ...structuredClone(source),
        id: freeId(`${source.id}-copy`, takenIds()),
        name: name ?? copyName(source.name, takenNames()),
      };
      return insertNew(copy, context.locale);
    },

    'dashboards.import': ({ json }, context) => {
      const parsed = parseDashboardJson(json, context.locale, zodErrorMap(context.locale));
      if (!parsed.ok) {
        const separator = context.locale === 'en' ? '; ' : '；';
        throw new AppError('invalid_input', 'error.dashboardInvalid', {
          params: {
            count: parsed.problems.length,
            problems: parsed.problems.map((problem) => `${problem.where}: ${problem.message}`).join(separator),
          },
          details: { problems: parsed.problems },
        });
      }
      const taken = takenIds();
      const names = takenNames();
      const imported = parsed.dashboard;
      const sameName = names.some((other) => other.en === imported.name.en || other['zh-CN'] === imported.name['zh-CN']);
      return insertNew({
        ...imported,
        id: taken.has(imported.id) ? freeId(imported.id, taken) : imported.id,
        name: sameName ? copyName(imported.name, names) : imported.name,
      }, context.locale);
    },

    'dashboards.export': ({ id }, context) => {
      const { dashboard } = find(id, context.locale);
      return { fileName: exportFileName(dashboard, context.locale), json: dashboardToJson(dashboard) };
    },
  };
}
