// When each template's current licence plan began on this PC, as the metering and outcome jobs
// first saw it: pay-after-use is metered, and pay-for-results stated, only from then on — never
// back to the install date when the template ran under a trial or a subscription before. Kept as a
// settings row per template (`licensing.planSince.<templateId>`); a different plan seen later
// starts it again. A plan not known for a moment (null: licences not read yet) changes nothing. A
// template already metered or stated before this was kept (an app updated from an older version)
// counts from its first record, so the hours or days while the app was off are not lost.
import { z } from 'zod';
import { PLAN_KINDS, type PlanKind } from '../../shared/cloud/index.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';

const PlanSinceSchema = z.object({ plan: z.enum(PLAN_KINDS), since: z.number().int() }).nullable();
export type PlanSinceRow = NonNullable<z.infer<typeof PlanSinceSchema>>;

const keyOf = (templateId: string) => `licensing.planSince.${templateId}`;

export class PlanSince {
  readonly #settings: Settings;

  constructor(db: Db, logger: Logger) {
    this.#settings = new Settings(db, logger);
  }

  /**
   * Notes the plan seen now; returns since when the template has been on it (null without a plan).
   * `firstRecorded`: where the job's ledger already starts for the template, used when nothing was noted yet.
   */
  note(templateId: string, plan: PlanKind | null, now: number, firstRecorded: () => number | null = () => null): number | null {
    if (plan === null) return null;
    const stored = this.read(templateId);
    if (stored?.plan === plan) return stored.since;
    const since = (stored === null ? firstRecorded() : null) ?? now;
    this.set(templateId, plan, since);
    return since;
  }

  read(templateId: string): PlanSinceRow | null {
    return this.#settings.read(keyOf(templateId), PlanSinceSchema, null);
  }

  /** Sets when a plan began (a plan that began before this PC could see it, and tests that date a template back). */
  set(templateId: string, plan: PlanKind, since: number): void {
    this.#settings.write(keyOf(templateId), PlanSinceSchema, { plan, since: Math.floor(since) });
  }
}
