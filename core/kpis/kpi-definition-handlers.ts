// The core's implementation of the stored KPI definition calls (kpiDefinitionCalls in
// shared/contract/kpi-calls.ts): KPIs made in the app or brought by solution templates, listed with
// their owner, saved after the same checks kpis.evaluate makes, and evaluated over the current period
// for dashboards. A KPI of a template whose licence is locked is read-only; its value is still given.
import type { z } from 'zod';
import type { KpiDefinitionCallName, KpiDefinitionCalls, KpiDefinitionView } from '../../shared/contract/kpi-calls.ts';
import { checkKpiDefinition } from '../../shared/domain/kpis.ts';
import { AppError } from '../../shared/errors.ts';
import type { Locale } from '../../shared/i18n/index.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { PremiumLockPolicy, type PremiumAllowed } from '../dashboards/premium-lock.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { KpiDefinitionStore, type StoredKpiDefinition } from './definition-store.ts';
import type { KpiHandlers } from './kpi-handlers.ts';

/** Handlers of the KPI definition calls, in the form the dispatcher's `Handlers` has once they join the contract. */
export type KpiDefinitionHandlers = {
  [Name in KpiDefinitionCallName]: (
    input: z.output<KpiDefinitionCalls[Name]['input']>,
    context: CallContext,
  ) => Promise<z.output<KpiDefinitionCalls[Name]['output']>> | z.output<KpiDefinitionCalls[Name]['output']>;
};

export interface KpiDefinitionHandlerDeps {
  db: Db;
  logger: Logger;
  /** The KPI engine's evaluation (the `kpis.evaluate` handler of createKpiHandlers). */
  evaluate: KpiHandlers['kpis.evaluate'];
  /** Whether a template's premium features may be changed (the licence code decides; always by default). */
  premiumAllowed?: PremiumAllowed;
  now?: () => number;
}

export function createKpiDefinitionHandlers(deps: KpiDefinitionHandlerDeps): KpiDefinitionHandlers {
  const store = new KpiDefinitionStore(deps.db, deps.logger);
  const premium = new PremiumLockPolicy(deps.db, deps.premiumAllowed);
  const now = deps.now ?? Date.now;

  const view = (stored: StoredKpiDefinition, locale: Locale): KpiDefinitionView => {
    const owner = premium.instanceOwner(stored.ownerInstanceId);
    const lockedBy = premium.lockOf(owner, locale);
    return { definition: stored.definition, owner, updatedAt: stored.updatedAt, ...(lockedBy && { lockedBy }) };
  };
  const find = (id: string): StoredKpiDefinition => {
    const stored = store.get(id);
    if (stored === 'invalid') throw new AppError('invalid_input', 'error.kpiDefinitionInvalid', { params: { id } });
    // The details tell a dashboard the KPI is gone from a core that does not know the call (both not_found).
    if (!stored) throw new AppError('not_found', 'error.kpiDefinitionNotFound', { params: { id }, details: { kpiId: id } });
    return stored;
  };

  return {
    'kpis.definitions': (_input, { locale }) => store.list().map((stored) => view(stored, locale)),

    'kpis.saveDefinition': ({ definition }, { locale, actor }) => {
      checkKpiDefinition(definition, locale);
      const current = store.get(definition.id);
      const ownerInstanceId = current && current !== 'invalid' ? current.ownerInstanceId : null;
      const name = current && current !== 'invalid' ? current.definition.name : definition.name;
      premium.refuseIfLocked(premium.instanceOwner(ownerInstanceId), 'kpi', name, locale);
      const saved = store.save(definition, ownerInstanceId, now());
      deps.logger.info('KPI definition saved', { id: definition.id, owner: ownerInstanceId, actor });
      return view(saved, locale);
    },

    'kpis.deleteDefinition': ({ id }, { locale, actor }) => {
      const owner = store.ownerOf(id);
      if (owner === undefined) throw new AppError('not_found', 'error.kpiDefinitionNotFound', { params: { id } });
      const stored = store.get(id);
      premium.refuseIfLocked(premium.instanceOwner(owner), 'kpi', stored && stored !== 'invalid' ? stored.definition.name : id, locale);
      store.delete(id);
      deps.logger.info('KPI definition deleted', { id, actor });
      return { id };
    },

    'kpis.value': ({ kpiId, period }, context) => deps.evaluate({ definition: find(kpiId).definition, period }, context),
  };
}
