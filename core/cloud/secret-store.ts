// Where the core keeps secrets (the machine's private key): with the OS keychain where the host has
// one (Electron's safeStorage, reached through the main process), in a protected file otherwise.
// Either way the bytes on disk sit in <dataDir>/secrets/, one file per secret, written atomically
// with mode 0600 — never in SQLite, so a backup or a copied database carries no key.
//
// The protected file is AES-256-GCM with a key derived (HKDF-SHA256) from this PC's OS installation
// id and a random salt kept beside the files: a copy of the data folder on another PC cannot open it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';

export interface SecretStore {
  /** Where the secrets really are: the OS keychain, or a file only this PC can open. */
  readonly kind: 'os-keychain' | 'protected-file';
  /** The secret's bytes; undefined when there is none. Throws an AppError when it exists but cannot be opened here. */
  get(name: string): Promise<Buffer | undefined>;
  set(name: string, bytes: Uint8Array): Promise<void>;
  delete(name: string): Promise<void>;
}

/** Encrypts and decrypts with a key this side never sees (Electron's safeStorage in the main process). */
export interface SecretCipher {
  encrypt(bytes: Buffer): Promise<Buffer>;
  decrypt(bytes: Buffer): Promise<Buffer>;
}

const NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;
const MAGIC = Buffer.from('PDS1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The folder of the secret files. */
export const secretsDir = (dataDir: string) => path.join(dataDir, 'secrets');

function checkName(name: string): void {
  if (!NAME.test(name)) throw new Error(`not a secret name: ${JSON.stringify(name)}`);
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Writes a file whole or not at all, readable by this user only. */
function writeAtomically(file: string, bytes: Uint8Array): void {
  const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const fd = fs.openSync(partial, 'w', 0o600);
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new AppError('storage_error', 'licensing.secrets.writeFailed', { params: { file, reason: reasonOf(error) }, cause: error });
  }
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('storage_error', 'licensing.secrets.readFailed', { params: { file, reason: reasonOf(error) }, cause: error });
  }
}

/** Secrets in files under <dataDir>/secrets/, sealed by a key only this PC can make. */
export class ProtectedFileSecretStore implements SecretStore {
  readonly kind = 'protected-file' as const;
  readonly #dir: string;
  readonly #keyMaterial: string;
  #key: Buffer | undefined;

  /** `keyMaterial`: fingerprint.ts `secretKeyMaterial(facts)` of this PC. */
  constructor(dataDir: string, keyMaterial: string) {
    this.#dir = secretsDir(dataDir);
    this.#keyMaterial = keyMaterial;
  }

  /** The salt is made once per data folder; the key needs it and this PC's id. */
  #keyFor(): Buffer {
    if (this.#key) return this.#key;
    const saltFile = path.join(this.#dir, 'salt');
    let salt = readIfThere(saltFile);
    if (!salt || salt.length !== 32) {
      salt = crypto.randomBytes(32);
      writeAtomically(saltFile, salt);
    }
    this.#key = Buffer.from(crypto.hkdfSync('sha256', Buffer.from(this.#keyMaterial, 'utf8'), salt, 'plantdesk secret store v1', 32));
    return this.#key;
  }

  #file(name: string): string {
    checkName(name);
    return path.join(this.#dir, `${name}.secret`);
  }

  async get(name: string): Promise<Buffer | undefined> {
    const file = this.#file(name);
    const sealed = readIfThere(file);
    if (!sealed) return undefined;
    const cannotOpen = () => new AppError('forbidden', 'licensing.secrets.otherPc', { params: { file } });
    if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) throw cannotOpen();
    const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    const tag = sealed.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.#keyFor(), iv);
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw cannotOpen();
    }
  }

  async set(name: string, bytes: Uint8Array): Promise<void> {
    const file = this.#file(name);
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#keyFor(), iv);
    // The name is authenticated too, so one secret's file cannot stand in for another's.
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
    writeAtomically(file, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]));
  }

  async delete(name: string): Promise<void> {
    fs.rmSync(this.#file(name), { force: true });
  }
}

/** Secrets sealed by the OS keychain (through `cipher`), the sealed bytes in <dataDir>/secrets/. */
export class KeychainSecretStore implements SecretStore {
  readonly kind = 'os-keychain' as const;
  readonly #dir: string;
  readonly #cipher: SecretCipher;

  constructor(dataDir: string, cipher: SecretCipher) {
    this.#dir = secretsDir(dataDir);
    this.#cipher = cipher;
  }

  #file(name: string): string {
    checkName(name);
    return path.join(this.#dir, `${name}.keychain`);
  }

  async get(name: string): Promise<Buffer | undefined> {
    const file = this.#file(name);
    const sealed = readIfThere(file);
    if (!sealed) return undefined;
    try {
      return await this.#cipher.decrypt(sealed);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('forbidden', 'licensing.secrets.keychainCannotOpen', { params: { file, reason: reasonOf(error) }, cause: error });
    }
  }

  async set(name: string, bytes: Uint8Array): Promise<void> {
    const file = this.#file(name);
    let sealed: Buffer;
    try {
      sealed = await this.#cipher.encrypt(Buffer.from(bytes));
    } catch (error) {
      throw new AppError('unavailable', 'licensing.secrets.keychainFailed', { params: { reason: reasonOf(error) }, cause: error });
    }
    writeAtomically(file, sealed);
  }

  async delete(name: string): Promise<void> {
    fs.rmSync(this.#file(name), { force: true });
  }
}
