// Usage records (pay-after-use) and outcome statements (pay-for-results) as they travel from a
// machine to the cloud. Each stream is append-only per machine: a gapless sequence from 1, a
// time-ordered unique record id, the previous record's hash and its own (a chain, so a deleted or
// edited record shows). Values are integers in the smallest unit. A batch's id is its idempotency
// key; the cloud answers with the highest sequence it holds and its signed time.
import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';
import { CloudIdSchema, EpochMsSchema, SemverSchema, Sha256HexSchema, SlugSchema } from './common.ts';
import { TemplateIdSchema } from './manifest.ts';

export const USAGE_STREAMS = ['usage', 'outcomes'] as const;
export type UsageStream = (typeof USAGE_STREAMS)[number];

/** `prevHash` of the first record of a stream. */
export const GENESIS_HASH = '0'.repeat(64);
export const MAX_BATCH_RECORDS = 500;

/** A time-ordered unique id (UUID version 7, lower case). */
export const RecordIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID version 7');
const Quantity = z.int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

const chained = {
  recordId: RecordIdSchema,
  sequence: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  templateId: TemplateIdSchema,
  templateVersion: SemverSchema,
  /** `ok`, or `suspect` when the machine's clock was found below its time floor while recording. */
  clockState: z.enum(['ok', 'suspect']),
  recordedAt: EpochMsSchema,
  /** A correction names the record it corrects; a closed record never changes. */
  corrects: RecordIdSchema.optional(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: Sha256HexSchema,
};

export const UsageRecordSchema = z
  .strictObject({
    ...chained,
    meter: SlugSchema,
    unit: z.string().min(1).max(16),
    /** In the meter's smallest unit; negative only in a correction. */
    value: Quantity,
    periodStart: EpochMsSchema,
    periodEnd: EpochMsSchema,
  })
  .refine((record) => record.periodEnd > record.periodStart, { message: 'periodEnd must be after periodStart', path: ['periodEnd'] })
  .refine((record) => record.value >= 0 || record.corrects !== undefined, { message: 'only a correction may be negative', path: ['value'] });
export type UsageRecord = z.infer<typeof UsageRecordSchema>;

const Period = z.strictObject({ start: EpochMsSchema, end: EpochMsSchema }).refine((p) => p.end > p.start, 'end must be after start');

export const OutcomeStatementSchema = z.strictObject({
  ...chained,
  metric: SlugSchema,
  unit: z.string().min(1).max(16),
  /** The baseline: its period, its method (for energy, as in energy-performance contracting) and figure, scaled to the measured period. */
  baseline: z.strictObject({ period: Period, method: SlugSchema, value: Quantity }),
  measured: z.strictObject({ period: Period, value: Quantity }),
  /** The claimed outcome: baseline minus measured (a saving), in the metric's smallest unit. */
  outcome: Quantity,
});
export type OutcomeStatement = z.infer<typeof OutcomeStatementSchema>;

export type ChainedRecord = UsageRecord | OutcomeStatement;

/** The text whose SHA-256 (hex) is a record's `hash`: its canonical JSON without `hash`. */
export function recordHashInput(record: ChainedRecord): string {
  const { hash: _hash, ...rest } = record;
  return canonicalJson(rest);
}

export const UsageBatchSchema = z.strictObject({
  /** The idempotency key: the same batch sent again gets the same answer and stores nothing twice. */
  batchId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  records: z.array(UsageRecordSchema).min(1).max(MAX_BATCH_RECORDS),
});
export const OutcomeBatchSchema = z.strictObject({
  batchId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  records: z.array(OutcomeStatementSchema).min(1).max(MAX_BATCH_RECORDS),
});
export type UsageBatch = z.infer<typeof UsageBatchSchema>;
export type OutcomeBatch = z.infer<typeof OutcomeBatchSchema>;

/** The answer to a batch; the app marks rows acknowledged only from it. */
export const BatchAnswerSchema = z.strictObject({
  batchId: z.string(),
  stream: z.enum(USAGE_STREAMS),
  /** Records this batch stored now. */
  stored: z.array(RecordIdSchema),
  /** Records the cloud already held, identical (a retry). */
  duplicates: z.array(RecordIdSchema),
  /** Highest sequence held for this machine and stream, and that record's hash. */
  highestSequence: z.int().min(0),
  headHash: z.string(),
  /** Outcome statements whose figures do not add up are held but disputed. */
  disputed: z.array(z.strictObject({ recordId: RecordIdSchema, reason: z.string() })).default([]),
  /** `server-time.<payload>.<signature>`. */
  serverTime: z.string(),
});
export type BatchAnswer = z.infer<typeof BatchAnswerSchema>;

/** Where a stream stands, for a machine that lost its answer or its outbox. */
export const StreamStateSchema = z.strictObject({
  machineId: CloudIdSchema,
  stream: z.enum(USAGE_STREAMS),
  highestSequence: z.int().min(0),
  headHash: z.string(),
  serverTime: z.string(),
});
