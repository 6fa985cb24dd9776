// This PC and the PlantDesk cloud as the UI sees them: activation, licences verified offline, usage
// metering (pay-after-use), outcome statements (pay-for-results) and the sync that carries them.
// A licence never stops collection, the historian, alarms or exports: only premium template features.
import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';

export const LICENCE_STATES = ['trial', 'active', 'renewSoon', 'grace', 'locked', 'invalid', 'none'] as const;
export type LicenceStateName = (typeof LICENCE_STATES)[number];

/** One template's licence on this PC, in plain words. */
export const TemplateLicenceSchema = z.object({
  templateId: z.string(),
  /** 'none': no licence for it on this PC (premium features locked; a free template needs none). */
  state: z.enum(LICENCE_STATES),
  plan: z.enum(['trial', 'subscription', 'pay_after_use', 'pay_for_results']).nullable(),
  /** Days left of the trial, of the grace period, or until renewal is needed. */
  daysLeft: z.number().int().nullable(),
  /** Why it is locked (expired, grace_over, credit_exhausted, clock_suspect, tampered, other_machine…). */
  reason: z.string().nullable(),
  /** The state as a sentence in the caller's language, with what to do next. */
  message: z.string(),
  /** Shown beside the state while the clock is set back. */
  clockWarning: z.string().nullable(),
  /** Premium features usable now (trial, active, renewSoon, grace). */
  premium: z.boolean(),
  entitlementId: z.string().nullable(),
  validUntil: z.number().int().nullable(),
  leaseExpiresAt: z.number().int().nullable(),
  /** Pay-after-use: units recorded and not yet acknowledged, and the most allowed offline. */
  unreportedUnits: z.number().int().nullable(),
  maxUnreportedUnits: z.number().int().nullable(),
});
export type TemplateLicence = z.infer<typeof TemplateLicenceSchema>;

export const SYNC_STATES = ['notActivated', 'idle', 'syncing', 'waiting', 'refused'] as const;

export const SyncStatusSchema = z.object({
  state: z.enum(SYNC_STATES),
  lastSyncAt: z.number().int().nullable(),
  lastAttemptAt: z.number().int().nullable(),
  nextTryAt: z.number().int().nullable(),
  pending: z.object({ usage: z.number().int(), outcomes: z.number().int() }),
  /** The last failure as a sentence in the caller's language; null after a good sync. */
  lastError: z.string().nullable(),
  /** Batches the cloud refused for good (a 4xx): kept aside, shown, sent again only on sync.retryRefused (or once after an app update). */
  refused: z.array(z.object({ stream: z.enum(['usage', 'outcomes']), batchId: z.string(), at: z.number().int(), reason: z.string() })),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const CloudStatusSchema = z.object({
  /** The cloud platform's address, e.g. https://cloud.plantdesk.cn. */
  url: z.string().nullable(),
  activated: z.boolean(),
  machineId: z.string().nullable(),
  machineName: z.string().nullable(),
  organisationName: z.string().nullable(),
  activatedAt: z.number().int().nullable(),
  /** Where the machine's private key is kept. */
  keyStorage: z.enum(['os-keychain', 'protected-file', 'none']),
  /** False when this data folder was copied from another PC (the fingerprint differs too much). */
  fingerprintMatches: z.boolean(),
  /** The time floor's word on the clock: a sentence while it is set back, else null. */
  clockWarning: z.string().nullable(),
  sync: SyncStatusSchema,
});
export type CloudStatus = z.infer<typeof CloudStatusSchema>;

export const MeterSummarySchema = z.object({
  templateId: z.string(),
  meter: z.string(),
  unit: z.string(),
  /** Units recorded in the ledger, all time and not yet acknowledged by the cloud. */
  recordedUnits: z.number().int(),
  unreportedUnits: z.number().int(),
  lastPeriodEnd: z.number().int().nullable(),
});

export const OutcomeViewSchema = z.object({
  recordId: z.string(),
  sequence: z.number().int(),
  templateId: z.string(),
  metric: z.string(),
  unit: z.string(),
  baseline: z.object({ start: z.number().int(), end: z.number().int(), method: z.string(), value: z.number() }),
  measured: z.object({ start: z.number().int(), end: z.number().int(), value: z.number() }),
  outcome: z.number(),
  /** How the figures were computed, as sentences in the caller's language. */
  method: z.string(),
  acknowledged: z.boolean(),
  disputed: z.string().nullable(),
});
export type OutcomeView = z.infer<typeof OutcomeViewSchema>;

export const licenceCalls = {
  'cloud.status': defineCall({
    summary: 'Whether this PC is activated with the PlantDesk cloud, where its key is kept, and how the sync stands.',
    role: 'viewer',
    input: z.object({}).strict(),
    output: CloudStatusSchema,
  }),
  'cloud.setUrl': defineCall({
    summary: "Sets the cloud platform's address (before activation, or to move to another platform).",
    role: 'admin',
    input: z.object({ url: z.string().url().max(300) }).strict(),
    output: CloudStatusSchema,
  }),
  'cloud.activate': defineCall({
    summary: 'Activates this PC with a one-time activation code: makes its key, sends the public half and its fingerprint, then syncs.',
    role: 'admin',
    input: z.object({ code: z.string().trim().min(8).max(64), machineName: z.string().trim().min(1).max(100), url: z.string().url().max(300).optional() }).strict(),
    output: CloudStatusSchema,
  }),
  'sync.status': defineCall({
    summary: 'The sync with the cloud: last sync, records waiting, next try, last error in plain words.',
    role: 'viewer',
    input: z.object({}).strict(),
    output: SyncStatusSchema,
  }),
  'sync.now': defineCall({
    summary: 'Syncs now (usage, outcomes, licences, catalogue) instead of waiting for the next try; answers when it is done.',
    role: 'operator',
    input: z.object({}).strict(),
    output: SyncStatusSchema,
  }),
  'sync.retryRefused': defineCall({
    summary: 'Sends a batch the cloud refused once more, under the same batch id, now (after the cause was fixed); answers when that sync is done.',
    role: 'admin',
    input: z.object({ stream: z.enum(['usage', 'outcomes']) }).strict(),
    output: SyncStatusSchema,
  }),
  'licences.list': defineCall({
    summary: "Every template's licence on this PC, verified offline, in plain words.",
    role: 'viewer',
    input: z.object({}).strict(),
    output: z.object({ licences: z.array(TemplateLicenceSchema) }),
  }),
  'licences.import': defineCall({
    summary: 'Adds licence lines pasted or read from a file (air-gapped plants); each is verified before it is kept.',
    role: 'admin',
    input: z.object({ text: z.string().min(1).max(200_000) }).strict(),
    output: z.object({ licences: z.array(TemplateLicenceSchema) }),
  }),
  'metering.summary': defineCall({
    summary: 'Pay-after-use meters: units recorded and not yet reported, per template and meter.',
    role: 'viewer',
    input: z.object({}).strict(),
    output: z.object({ meters: z.array(MeterSummarySchema) }),
  }),
  'outcomes.list': defineCall({
    summary: 'Pay-for-results outcome statements with their figures and how they were computed.',
    role: 'viewer',
    input: z.object({ templateId: z.string().max(120).optional() }).strict(),
    output: z.object({
      outcomes: z.array(OutcomeViewSchema),
      /** Why a template's statements cannot be computed (its meter's unit, a missing point), as sentences. */
      problems: z.array(z.object({ templateId: z.string(), message: z.string() })).default([]),
    }),
  }),
} as const;

export const licenceEvents = {
  'sync.statusChanged': defineEvent({
    summary: 'A sync began or ended, records were added, or the next try moved: read sync.status again.',
    payload: SyncStatusSchema,
  }),
  'licences.changed': defineEvent({
    summary: 'Licences were refreshed, imported, or a state changed (grace began, a lock): read licences.list again.',
    payload: z.object({ templateIds: z.array(z.string()) }),
  }),
} as const;
