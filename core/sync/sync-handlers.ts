// The core's implementation of the sync, metering and outcome calls (shared/contract/licence-calls.ts):
// where the sync stands, "Sync now" and "Try again" on a refused batch, the pay-after-use meters, and the outcome statements with
// how each was computed, in the caller's language.
import type { z } from 'zod';
import type { licenceCalls } from '../../shared/contract/licence-calls.ts';
import { translate } from '../../shared/i18n/index.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import type { Meter } from '../licensing/metering.ts';
import type { OutcomeLedger } from '../licensing/outcome-ledger.ts';
import type { SyncEngine } from './sync-engine.ts';
import { SyncStore } from './sync-store.ts';
import type { Db } from '../storage/database.ts';
import type { OutcomeProblem } from '../licensing/outcomes.ts';

type LicenceCalls = typeof licenceCalls;
export type SyncCallName = 'sync.status' | 'sync.now' | 'sync.retryRefused' | 'metering.summary' | 'outcomes.list';

/** The handlers, typed from the call specs alone, so they fit the dispatcher's `Handlers` once wired. */
export type SyncHandlers = {
  [Name in SyncCallName]: (input: z.output<LicenceCalls[Name]['input']>, context: CallContext) => z.output<LicenceCalls[Name]['output']> | Promise<z.output<LicenceCalls[Name]['output']>>;
};

export interface SyncHandlerDeps {
  db: Db;
  engine: SyncEngine;
  meter: Meter;
  outcomes: OutcomeLedger;
  /** Why statements cannot be computed now (OutcomeJob.problems). */
  outcomeProblems?: () => OutcomeProblem[];
}

export function createSyncHandlers({ db, engine, meter, outcomes, outcomeProblems }: SyncHandlerDeps): SyncHandlers {
  const store = new SyncStore(db);
  return {
    'sync.status': (_input, context) => engine.status(context.locale),
    'sync.now': async (_input, context) => {
      await engine.syncNow();
      return engine.status(context.locale);
    },
    'sync.retryRefused': async (input, context) => {
      await engine.retryRefused(input.stream);
      return engine.status(context.locale);
    },
    'metering.summary': () => ({ meters: meter.summary() }),
    'outcomes.list': (input, context) => {
      const acked = engine.acknowledged('outcomes');
      const disputes = store.disputes();
      return {
        outcomes: outcomes.list(input.templateId).map(({ statement, method }) => ({
          recordId: statement.recordId,
          sequence: statement.sequence,
          templateId: statement.templateId,
          metric: statement.metric,
          unit: statement.unit,
          baseline: { ...statement.baseline.period, method: statement.baseline.method, value: statement.baseline.value },
          measured: { ...statement.measured.period, value: statement.measured.value },
          outcome: statement.outcome,
          method: translate(context.locale, method.key, method.params),
          acknowledged: statement.sequence <= acked,
          disputed: disputes.get(statement.recordId) ?? null,
        })),
        problems: (outcomeProblems?.() ?? [])
          .filter((problem) => input.templateId === undefined || problem.templateId === input.templateId)
          .map((problem) => ({ templateId: problem.templateId, message: translate(context.locale, problem.message.key, problem.message.params) })),
      };
    },
  };
}
