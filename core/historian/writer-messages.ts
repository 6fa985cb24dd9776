// Messages between the historian's SampleWriter (polling thread) and its writer thread.
import type { MaintenanceOptions } from './maintenance.ts';

/** How the writer thread keeps rollups, compaction and retention up, every `intervalMs` when idle (false: it does not). */
export type WriterMaintenance = (Pick<MaintenanceOptions, 'hotMs' | 'lateMs' | 'maxHoldMs'> & { intervalMs?: number }) | false;

export type ToWriter =
  | { type: 'rows'; rows: Float64Array; count: number }
  /** An online backup of the database into `dest` (core/storage/backups.ts), on the writer's connection. */
  | { type: 'backup'; id: number; dest: string }
  | { type: 'close' };

export type FromWriter =
  | { type: 'ready'; slots: number }
  /** Sent only after the batch's transaction committed (synchronous=FULL: it is on disk). */
  | { type: 'written'; count: number }
  | { type: 'failed'; message: string; code: string | null; queuedRows: number }
  | { type: 'dropped'; count: number }
  /** Upkeep (rollups, compaction, retention) failed, and why; message null when it works again. */
  | { type: 'maintenanceFailed'; message: string | null; code: string | null }
  | { type: 'backedUp'; id: number; sizeBytes: number }
  | { type: 'backupFailed'; id: number; message: string; code: string | null; damaged: boolean }
  /** `batches`: the rows the database refused until the end, handed back so they are not lost. */
  | { type: 'closed'; unwritten: number; batches: { rows: Float64Array; count: number }[] };
