// The OS keychain for the core's secrets (the machine key): Electron's safeStorage lives in the main
// process only, while the core runs in a utility process. The core keeps the sealed bytes in its
// files (core/cloud/secret-store.ts KeychainSecretStore) and asks the main process to seal and
// unseal them through these two messages. Thin on purpose; the fake safeStorage in the test stands
// in for Electron, which cannot run there.
import type { SecretCipher } from '../core/cloud/secret-store.ts';
import type { SecretAnswer, SecretRequest } from './core-messages.ts';

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring, only a fixed key — not a keychain. */
  getSelectedStorageBackend?(): string;
}

/** Whether safeStorage is a real keychain here (call after the app is ready). */
export function keychainUsable(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!safeStorage.isEncryptionAvailable()) return false;
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return false;
    return true;
  } catch {
    return false;
  }
}

/** The main process's answer to one request of the core (never throws: a failure is an answer). */
export function answerSecretRequest(safeStorage: SafeStorageLike, request: SecretRequest): SecretAnswer {
  try {
    const data =
      request.op === 'encrypt'
        ? safeStorage.encryptString(request.data).toString('base64')
        : safeStorage.decryptString(Buffer.from(request.data, 'base64'));
    return { type: 'secretResult', id: request.id, ok: true, data };
  } catch (error) {
    return { type: 'secretResult', id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The core process's side: sends requests to the main process and matches the answers. The secret
 * crosses as base64 text (safeStorage seals strings).
 */
export class SafeStorageRequester implements SecretCipher {
  readonly #send: (request: SecretRequest) => void;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, { resolve: (data: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  #nextId = 1;

  constructor(send: (request: SecretRequest) => void, timeoutMs = 15_000) {
    this.#send = send;
    this.#timeoutMs = timeoutMs;
  }

  async encrypt(bytes: Buffer): Promise<Buffer> {
    return Buffer.from(await this.#ask('encrypt', bytes.toString('base64')), 'base64');
  }

  async decrypt(bytes: Buffer): Promise<Buffer> {
    return Buffer.from(await this.#ask('decrypt', bytes.toString('base64')), 'base64');
  }

  /** An answer from the main process. */
  receive(answer: SecretAnswer): void {
    const pending = this.#pending.get(answer.id);
    if (!pending) return;
    this.#pending.delete(answer.id);
    clearTimeout(pending.timer);
    if (answer.ok) pending.resolve(answer.data);
    else pending.reject(new Error(answer.error));
  }

  #ask(op: SecretRequest['op'], data: string): Promise<string> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`the system keychain did not answer within ${Math.round(this.#timeoutMs / 1000)} s`));
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#send({ type: 'secret', id, op, data });
    });
  }
}
