import { describe, expect, it } from 'vitest';
import type { TemplateLicence } from '../../../../shared/contract/licence-calls.ts';
import { bannerLines } from './banner-lines.ts';

function licence(templateId: string, change: Partial<TemplateLicence>): TemplateLicence {
  return {
    templateId,
    state: 'active',
    plan: 'subscription',
    daysLeft: null,
    reason: null,
    message: `${templateId} is licensed.`,
    clockWarning: null,
    premium: true,
    entitlementId: 'e1',
    validUntil: null,
    leaseExpiresAt: null,
    unreportedUnits: null,
    maxUnreportedUnits: null,
    ...change,
  };
}

describe('the licence banner', () => {
  it('announces unreported pay-after-use usage from 80 % of the offline cap, before the lock', () => {
    const near = licence('acme.meter', { plan: 'pay_after_use', state: 'renewSoon', unreportedUnits: 80, maxUnreportedUnits: 100, message: 'Usage not yet reported is 80 of 100.' });
    expect(bannerLines([near], null)).toEqual([{ kind: 'credit', templateId: 'acme.meter', message: 'Usage not yet reported is 80 of 100.' }]);
    expect(bannerLines([{ ...near, unreportedUnits: 79 }], null)).toEqual([]);
  });

  it('says nothing while every licence is fine', () => {
    expect(bannerLines([licence('acme.a', {}), licence('acme.b', { state: 'trial', daysLeft: 9 }), licence('acme.c', { state: 'none', premium: false })], { clockWarning: null })).toEqual([]);
    expect(bannerLines([], null)).toEqual([]);
  });

  it('puts locks first, then grace periods with their days left, then the clock', () => {
    const lines = bannerLines(
      [
        licence('acme.grace', { state: 'grace', daysLeft: 4, message: 'Renew within 4 days.' }),
        licence('acme.locked', { state: 'locked', reason: 'grace_over', message: 'Locked: pay the invoice.', premium: false }),
      ],
      { clockWarning: 'The clock is 3 days behind.' },
    );
    expect(lines).toEqual([
      { kind: 'locked', templateId: 'acme.locked', message: 'Locked: pay the invoice.' },
      { kind: 'grace', templateId: 'acme.grace', daysLeft: 4, message: 'Renew within 4 days.' },
      { kind: 'clock', message: 'The clock is 3 days behind.' },
    ]);
  });

  it('warns of a set-back clock a licence reports even when the cloud status does not', () => {
    expect(bannerLines([licence('acme.a', { clockWarning: 'Clock set back.' })], null)).toEqual([{ kind: 'clock', message: 'Clock set back.' }]);
  });
});
