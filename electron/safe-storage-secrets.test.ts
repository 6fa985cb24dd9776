// The keychain bridge between the core's utility process and the main process, with a fake
// safeStorage (Electron cannot run here): the core's KeychainSecretStore seals and opens the machine
// key through messages, a failure comes back as a sentence, and a Linux "basic_text" backend does
// not count as a keychain.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeychainSecretStore, secretsDir } from '../core/cloud/secret-store.ts';
import { AppError } from '../shared/errors.ts';
import type { SecretAnswer, SecretRequest } from './core-messages.ts';
import { answerSecretRequest, keychainUsable, SafeStorageRequester, type SafeStorageLike } from './safe-storage-secrets.ts';

/** Seals strings with a key of its own, as the OS keychain does; can be made unavailable. */
function fakeSafeStorage(backend = 'gnome_libsecret') {
  const key = 0x6b;
  let available = true;
  const storage: SafeStorageLike & { setAvailable(value: boolean): void; seen: string[] } = {
    seen: [],
    setAvailable(value) {
      available = value;
    },
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plainText) {
      if (!available) throw new Error('Encryption is not available.');
      storage.seen.push(plainText);
      return Buffer.concat([Buffer.from('v10'), Buffer.from(Buffer.from(plainText, 'utf8').map((byte) => byte ^ key))]);
    },
    decryptString(encrypted) {
      if (!available || !encrypted.subarray(0, 3).equals(Buffer.from('v10'))) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(encrypted.subarray(3).map((byte) => byte ^ key)).toString('utf8');
    },
  };
  return storage;
}

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-keychain-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The two processes joined by asynchronous "messages" (structured clones, as between processes). */
function joined(safeStorage: SafeStorageLike, timeoutMs?: number) {
  const sent: SecretRequest[] = [];
  const requester: SafeStorageRequester = new SafeStorageRequester((request) => {
    sent.push(structuredClone(request));
    const answer: SecretAnswer = answerSecretRequest(safeStorage, structuredClone(request));
    setImmediate(() => requester.receive(structuredClone(answer)));
  }, timeoutMs);
  return { requester, sent };
}

describe('safeStorage secret bridge', () => {
  it('seals the machine key in the main process; the core keeps only the sealed bytes', async () => {
    const safeStorage = fakeSafeStorage();
    const { requester, sent } = joined(safeStorage);
    const store = new KeychainSecretStore(dataDir, requester);
    const key = Buffer.from('302e020100300506032b657004220420' + '11'.repeat(32), 'hex');
    await store.set('machine-key', key);
    expect(sent.map((request) => request.op)).toEqual(['encrypt']);
    const onDisk = fs.readFileSync(path.join(secretsDir(dataDir), 'machine-key.keychain'));
    expect(onDisk.subarray(0, 3).toString()).toBe('v10');
    expect(onDisk.includes(key)).toBe(false);
    // The next start of the core: a new bridge, the same keychain.
    expect(await new KeychainSecretStore(dataDir, joined(safeStorage).requester).get('machine-key')).toEqual(key);
  });

  it('answers a failure with a sentence the core shows, and times out when the main process is gone', async () => {
    const safeStorage = fakeSafeStorage();
    const store = new KeychainSecretStore(dataDir, joined(safeStorage).requester);
    await store.set('machine-key', Buffer.from('secret'));
    safeStorage.setAvailable(false);
    const error = await store.get('machine-key').then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).key).toBe('licensing.secrets.keychainCannotOpen');
    expect((error as AppError).params.reason).toContain('decrypt');

    const silent = new SafeStorageRequester(() => {}, 50);
    await expect(silent.encrypt(Buffer.from('x'))).rejects.toThrow('did not answer');
  });

  it('counts as a keychain only where safeStorage has a real one', () => {
    expect(keychainUsable(fakeSafeStorage('gnome_libsecret'), 'linux')).toBe(true);
    expect(keychainUsable(fakeSafeStorage('basic_text'), 'linux')).toBe(false);
    expect(keychainUsable(fakeSafeStorage('basic_text'), 'win32')).toBe(true);
    const unavailable = fakeSafeStorage();
    unavailable.setAvailable(false);
    expect(keychainUsable(unavailable, 'win32')).toBe(false);
    expect(keychainUsable({ isEncryptionAvailable: () => { throw new Error('app not ready'); }, encryptString: () => Buffer.alloc(0), decryptString: () => '' }, 'darwin')).toBe(false);
  });
});
