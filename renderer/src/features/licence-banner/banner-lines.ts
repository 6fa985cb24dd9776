// What the licence banner says: one line per template whose licence is in its grace period (with the
// days left) or locked (the core's sentence says why and what to do), and one while the clock is
// set back. Locks first: they are what stops a feature now.
import type { CloudStatus, TemplateLicence } from '../../../../shared/contract/licence-calls.ts';

export type BannerLine =
  | { kind: 'locked'; templateId: string; message: string }
  | { kind: 'grace'; templateId: string; daysLeft: number | null; message: string }
  /** Unreported pay-after-use usage near the most this PC may record offline: announced before the lock. */
  | { kind: 'credit'; templateId: string; message: string }
  | { kind: 'clock'; message: string };

/** The share of the offline cap from which the core announces it (core/licensing/licence-state.ts CREDIT_WARNING_SHARE). */
const CREDIT_WARNING_SHARE = 0.8;

function nearCreditLimit(licence: TemplateLicence): boolean {
  const { unreportedUnits: units, maxUnreportedUnits: cap } = licence;
  return licence.premium && units !== null && cap !== null && units >= cap * CREDIT_WARNING_SHARE;
}

/**
 * The banner's lines for these licences and cloud status; empty when all is well.
 * @example bannerLines([{ state: 'grace', daysLeft: 3, … }], null) // → [{ kind: 'grace', daysLeft: 3, … }]
 */
export function bannerLines(licences: readonly TemplateLicence[], status: Pick<CloudStatus, 'clockWarning'> | null): BannerLine[] {
  const locked: BannerLine[] = [];
  const grace: BannerLine[] = [];
  let clock = status?.clockWarning ?? null;
  for (const licence of licences) {
    if (licence.state === 'locked') locked.push({ kind: 'locked', templateId: licence.templateId, message: licence.message });
    else if (licence.state === 'grace') grace.push({ kind: 'grace', templateId: licence.templateId, daysLeft: licence.daysLeft, message: licence.message });
    else if (nearCreditLimit(licence)) grace.push({ kind: 'credit', templateId: licence.templateId, message: licence.message });
    clock ??= licence.clockWarning;
  }
  return [...locked, ...grace, ...(clock ? [{ kind: 'clock' as const, message: clock }] : [])];
}
