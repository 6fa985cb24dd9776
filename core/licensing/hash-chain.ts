// What the two append-only ledgers (usage records, outcome statements) share: a record's hash as the
// cloud computes it (SHA-256 of its canonical JSON without `hash`, shared/cloud/usage.ts) and the
// time-ordered record ids (UUID v7) that stay unique and ascending however fast records are written.
import crypto from 'node:crypto';
import { recordHashInput, type ChainedRecord } from '../../shared/cloud/index.ts';

/** A record's own hash, as the cloud computes it: SHA-256 (hex) of its canonical JSON without `hash`. */
export function chainedRecordHash<T extends ChainedRecord>(record: Omit<T, 'hash'> & { hash?: string }): string {
  return crypto
    .createHash('sha256')
    .update(recordHashInput({ ...record, hash: '' } as unknown as ChainedRecord))
    .digest('hex');
}

/** A UUID version 7 later than `after` (when given): milliseconds, then a counter, then random bits. */
export function nextRecordId(nowMs: number, after?: string): string {
  let ms = Math.max(0, Math.floor(nowMs));
  let counter = crypto.randomInt(0, 0x800);
  if (after) {
    const lastMs = Number.parseInt(after.slice(0, 8) + after.slice(9, 13), 16);
    const lastCounter = Number.parseInt(after.slice(15, 18), 16);
    if (ms <= lastMs) {
      ms = lastMs;
      counter = lastCounter + 1;
      if (counter > 0xfff) {
        ms++;
        counter = 0;
      }
    }
  }
  const time = ms.toString(16).padStart(12, '0');
  const random = crypto.randomBytes(8);
  random[0] = (random[0]! & 0x3f) | 0x80;
  const tail = random.toString('hex');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${tail.slice(0, 4)}-${tail.slice(4, 16)}`;
}
