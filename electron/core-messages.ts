// Messages between the main process and the core's utility process.
import type { CallResult, EventMessage, Locale } from '../shared/index.ts';

/** The core asks the main process to seal or unseal a secret with safeStorage (the OS keychain). */
export interface SecretRequest {
  type: 'secret';
  id: number;
  op: 'encrypt' | 'decrypt';
  /** encrypt: the secret as base64; decrypt: the sealed bytes as base64. */
  data: string;
}

/** The main process's answer: the sealed bytes (base64), or the unsealed secret (base64). */
export type SecretAnswer = { type: 'secretResult'; id: number; ok: true; data: string } | { type: 'secretResult'; id: number; ok: false; error: string };

export type ToCore =
  | { type: 'call'; id: number; name: string; input: unknown; locale: Locale }
  | { type: 'stop' }
  | SecretAnswer;

export type FromCore =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: CallResult }
  | { type: 'event'; message: EventMessage }
  | { type: 'fatal'; message: string }
  | SecretRequest;
