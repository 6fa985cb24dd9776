// What the core needs from whatever hosts it (Electron's utility process, or the plain Node web host).
// The core never asks which host it is on beyond `kind`, which it only reports.
import type { SecretStore } from './cloud/secret-store.ts';

export type { SecretStore } from './cloud/secret-store.ts';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface CoreHost {
  kind: 'electron' | 'web';
  /** Folder that holds the database, backups and logs; created if missing. */
  dataDir: string;
  logger: Logger;
  /**
   * Where secrets (the machine's private key) are kept: the OS keychain in Electron where safeStorage
   * has one. Absent: a protected file in the data folder that only this PC can open.
   */
  secrets?: SecretStore;
}

/** A logger that drops everything, for tests and benchmarks that assert on behaviour, not logs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
