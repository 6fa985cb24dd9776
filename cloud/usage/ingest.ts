// Usage records and outcome statements, exactly once. Per machine and stream the records form a
// gapless sequence and a hash chain; the cloud checks each record's hash, its link to the one
// before, and its place in the sequence, and stores it once whatever the retries (the record id
// is a permanent unique key). A batch is stored whole or not at all; a refusal says why, and
// every answer says the highest sequence held, so the app knows where to resume.
import {
  canonicalJson,
  GENESIS_HASH,
  recordHashInput,
  type BatchAnswer,
  type ChainedRecord,
  type OutcomeStatement,
  type UsageRecord,
  type UsageStream,
} from '../../shared/cloud/index.ts';
import type { MachineIdentity } from '../auth/auth.ts';
import { sha256Hex } from '../crypto/keys.ts';
import type { Queryable } from '../db/database.ts';
import { CloudError } from '../http.ts';
import type { CloudContext } from '../context.ts';
import { signedServerTime } from '../licences/licences.ts';

interface Head {
  highest_sequence: number;
  head_hash: string;
}

/** Why an outcome statement does not add up, or undefined when it does. */
export function disputeOf(statement: OutcomeStatement): string | undefined {
  if (statement.outcome !== statement.baseline.value - statement.measured.value) return 'the outcome is not the baseline minus the measured figure';
  if (statement.baseline.period.end > statement.measured.period.start) return 'the baseline period overlaps the measured period';
  return undefined;
}

function billingFields(stream: UsageStream, record: ChainedRecord) {
  if (stream === 'usage') {
    const usage = record as UsageRecord;
    return { meter: usage.meter, unit: usage.unit, value: usage.value, periodStart: usage.periodStart, periodEnd: usage.periodEnd };
  }
  const outcome = record as OutcomeStatement;
  return { meter: outcome.metric, unit: outcome.unit, value: outcome.outcome, periodStart: outcome.measured.period.start, periodEnd: outcome.measured.period.end };
}

/** The entitlement a record is billed under: the organisation's plan of that kind in force when the period ended. */
async function entitlementFor(tx: Queryable, organisationId: string, stream: UsageStream, templateId: string, periodEnd: number): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>(
    `SELECT id FROM entitlements
     WHERE organisation_id = $1 AND template_id = $2 AND kind = $3 AND status IN ('active', 'cancelled')
       AND valid_from IS NOT NULL AND valid_from < $4::bigint AND (valid_until IS NULL OR valid_until >= $4::bigint)
     ORDER BY valid_from DESC LIMIT 1`,
    [organisationId, templateId, stream === 'usage' ? 'pay_after_use' : 'pay_for_results', periodEnd],
  );
  return row?.id ?? null;
}

async function recordIncident(context: CloudContext, machineId: string, stream: UsageStream, error: CloudError): Promise<void> {
  await context.db
    .query('INSERT INTO chain_incidents (machine_id, stream, kind, details, at) VALUES ($1, $2, $3, $4::jsonb, $5)', [
      machineId,
      stream,
      error.code,
      JSON.stringify({ message: error.message, ...error.details }),
      context.now(),
    ])
    .catch(() => {});
}

export async function ingestBatch(
  context: CloudContext,
  machine: MachineIdentity,
  stream: UsageStream,
  batch: { batchId: string; records: ChainedRecord[] },
): Promise<BatchAnswer> {
  const contentHash = sha256Hex(canonicalJson(batch.records));
  const first = batch.records[0]!.sequence;
  batch.records.forEach((record, index) => {
    if (record.sequence !== first + index) {
      throw new CloudError('invalid_input', `The records of a batch must have consecutive sequence numbers in order (record ${index} has ${record.sequence}, expected ${first + index}).`);
    }
  });
  if (new Set(batch.records.map((record) => record.recordId)).size !== batch.records.length) throw new CloudError('invalid_input', 'A record id appears twice in the batch.');

  try {
    return await context.db.transaction(async (tx) => {
      await tx.query('INSERT INTO usage_streams (machine_id, stream, highest_sequence, head_hash) VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING', [machine.id, stream, GENESIS_HASH]);
      // Held until commit: batches of one machine and stream are checked one after the other.
      const [head] = (await tx.query<Head>('SELECT highest_sequence, head_hash FROM usage_streams WHERE machine_id = $1 AND stream = $2 FOR UPDATE', [machine.id, stream])) as [Head];
      const answerDetails = () => ({ highestSequence: head.highest_sequence, headHash: head.head_hash });

      const [knownBatch] = await tx.query<{ content_hash: string }>('SELECT content_hash FROM usage_batches WHERE machine_id = $1 AND stream = $2 AND batch_id = $3', [
        machine.id,
        stream,
        batch.batchId,
      ]);
      if (knownBatch && knownBatch.content_hash !== contentHash) {
        throw new CloudError('idempotency_conflict', `Batch ${batch.batchId} was received before with other records. A batch id names one batch, for good.`, { details: answerDetails() });
      }

      const held = new Map(
        (
          await tx.query<{ record_id: string; hash: string; stream: string; sequence: number }>(
            'SELECT record_id, hash, stream, sequence FROM usage_records WHERE machine_id = $1 AND record_id = ANY($2::text[])',
            [machine.id, batch.records.map((record) => record.recordId)],
          )
        ).map((row) => [row.record_id, row]),
      );

      const stored: string[] = [];
      const duplicates: string[] = [];
      const disputed: { recordId: string; reason: string }[] = [];
      const now = context.now();
      for (const record of batch.records) {
        if (sha256Hex(recordHashInput(record)) !== record.hash) {
          throw new CloudError('chain_broken', `Record ${record.sequence} (${record.recordId}) does not match its own hash: it was changed after it was closed.`, {
            details: { ...answerDetails(), recordId: record.recordId, sequence: record.sequence },
          });
        }
        const known = held.get(record.recordId);
        if (known) {
          if (known.hash !== record.hash || known.stream !== stream || known.sequence !== record.sequence) {
            throw new CloudError('chain_broken', `Record ${record.recordId} was received before with other content: a closed record never changes (send a correction instead).`, {
              details: { ...answerDetails(), recordId: record.recordId, sequence: record.sequence },
            });
          }
          duplicates.push(record.recordId);
          continue;
        }
        if (record.sequence <= head.highest_sequence) {
          throw new CloudError('chain_broken', `Sequence ${record.sequence} is held by another record: the machine's records were replaced or edited.`, {
            details: { ...answerDetails(), recordId: record.recordId, sequence: record.sequence },
          });
        }
        if (record.sequence > head.highest_sequence + 1) {
          throw new CloudError('sequence_gap', `Records ${head.highest_sequence + 1} to ${record.sequence - 1} are missing: send them first.`, {
            details: { ...answerDetails(), expectedSequence: head.highest_sequence + 1, sequence: record.sequence },
          });
        }
        if (record.prevHash !== head.head_hash) {
          throw new CloudError('chain_broken', `Record ${record.sequence} does not follow record ${head.highest_sequence} (its previous hash differs): a record was changed or removed.`, {
            details: { ...answerDetails(), recordId: record.recordId, sequence: record.sequence },
          });
        }
        const fields = billingFields(stream, record);
        const dispute = stream === 'outcomes' ? disputeOf(record as OutcomeStatement) : undefined;
        if (dispute) disputed.push({ recordId: record.recordId, reason: dispute });
        await tx.query(
          `INSERT INTO usage_records (machine_id, record_id, stream, sequence, organisation_id, template_id, entitlement_id, meter, unit, value,
             period_start, period_end, hash, prev_hash, record, status, dispute_reason, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18)`,
          [
            machine.id,
            record.recordId,
            stream,
            record.sequence,
            machine.organisationId,
            record.templateId,
            await entitlementFor(tx, machine.organisationId, stream, record.templateId, fields.periodEnd),
            fields.meter,
            fields.unit,
            fields.value,
            fields.periodStart,
            fields.periodEnd,
            record.hash,
            record.prevHash,
            JSON.stringify(record),
            dispute ? 'disputed' : 'accepted',
            dispute ?? null,
            now,
          ],
        );
        head.highest_sequence = record.sequence;
        head.head_hash = record.hash;
        stored.push(record.recordId);
      }
      if (stored.length > 0) {
        await tx.query('UPDATE usage_streams SET highest_sequence = $3, head_hash = $4 WHERE machine_id = $1 AND stream = $2', [machine.id, stream, head.highest_sequence, head.head_hash]);
      }
      await tx.query('INSERT INTO usage_batches (machine_id, stream, batch_id, content_hash, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
        machine.id,
        stream,
        batch.batchId,
        contentHash,
        now,
      ]);
      return {
        batchId: batch.batchId,
        stream,
        stored,
        duplicates,
        disputed,
        highestSequence: head.highest_sequence,
        headHash: head.head_hash,
        serverTime: signedServerTime(context, machine.id),
      };
    });
  } catch (error) {
    if (error instanceof CloudError && (error.code === 'chain_broken' || error.code === 'sequence_gap')) await recordIncident(context, machine.id, stream, error);
    throw error;
  }
}

export async function streamState(context: CloudContext, machineId: string, stream: UsageStream) {
  const [head] = await context.db.query<Head>('SELECT highest_sequence, head_hash FROM usage_streams WHERE machine_id = $1 AND stream = $2', [machineId, stream]);
  return {
    machineId,
    stream,
    highestSequence: head?.highest_sequence ?? 0,
    headHash: head?.head_hash ?? GENESIS_HASH,
    serverTime: signedServerTime(context, machineId),
  };
}
