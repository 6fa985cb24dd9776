// What the licence banner says: one line per template whose licence is in its grace period (with the
// days left) or locked (the core's sentence says why and what to do), and one while the clock is
// set back. Locks first: they are what stops a feature now.
import type { CloudStatus, TemplateLicence } from '../../../../shared/contract/licence-calls.ts';

export type BannerLine =
  | { kind: 'locked'; templateId: string; message: string }
  | { kind: 'grace'; templateId: string; daysLeft: number | null; message: string }
  | { kind: 'clock'; message: string };

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
    clock ??= licence.clockWarning;
  }
  return [...locked, ...grace, ...(clock ? [{ kind: 'clock' as const, message: clock }] : [])];
}
