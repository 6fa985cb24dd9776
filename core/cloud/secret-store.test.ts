// The secret stores on a real folder: the protected file opens only on the PC that wrote it, is
// written whole with mode 0600, and cannot stand in for another secret; the keychain store keeps
// only what the keychain sealed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { translate } from '../../shared/i18n/index.ts';
import { KeychainSecretStore, ProtectedFileSecretStore, secretsDir, type SecretCipher } from './secret-store.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-secrets-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const secret = Buffer.from('the machine key: 32 bytes of seed');

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('protected-file secret store', () => {
  it('keeps a secret in its own file, sealed, readable by this user only', async () => {
    const store = new ProtectedFileSecretStore(dataDir, 'os:4c4c4544004d3610804bb4c04f563532');
    expect(await store.get('machine-key')).toBeUndefined();
    await store.set('machine-key', secret);
    expect(await store.get('machine-key')).toEqual(secret);
    // A new store on the same folder and PC (the next start) opens it.
    expect(await new ProtectedFileSecretStore(dataDir, 'os:4c4c4544004d3610804bb4c04f563532').get('machine-key')).toEqual(secret);
    const files = fs.readdirSync(secretsDir(dataDir)).sort();
    expect(files).toEqual(['machine-key.secret', 'salt']);
    const bytes = fs.readFileSync(path.join(secretsDir(dataDir), 'machine-key.secret'));
    expect(bytes.includes(secret)).toBe(false);
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(secretsDir(dataDir), 'machine-key.secret')).mode & 0o777).toBe(0o600);
    }
    await store.delete('machine-key');
    expect(await store.get('machine-key')).toBeUndefined();
  });

  it('cannot be opened on another PC (a copied data folder): a sentence, not a crash', async () => {
    await new ProtectedFileSecretStore(dataDir, 'os:4c4c4544004d3610804bb4c04f563532').set('machine-key', secret);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-secrets-copy-'));
    try {
      fs.cpSync(dataDir, copy, { recursive: true });
      const error = await refusal(new ProtectedFileSecretStore(copy, 'os:0f0e0d0c0b0a09080706050403020100').get('machine-key'));
      expect(error.key).toBe('licensing.secrets.otherPc');
      expect(translate('en', error.key, error.params)).toContain('another PC');
      expect(translate('zh-CN', error.key, error.params)).toContain('另一台电脑');
      expect(error.params.file).toBe(path.join(secretsDir(copy), 'machine-key.secret'));
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it("refuses one secret's file renamed to another's, and a damaged file", async () => {
    const store = new ProtectedFileSecretStore(dataDir, 'os:4c4c4544004d3610804bb4c04f563532');
    await store.set('machine-key', secret);
    fs.copyFileSync(path.join(secretsDir(dataDir), 'machine-key.secret'), path.join(secretsDir(dataDir), 'other.secret'));
    expect((await refusal(store.get('other'))).key).toBe('licensing.secrets.otherPc');
    fs.writeFileSync(path.join(secretsDir(dataDir), 'machine-key.secret'), 'PDS1 short');
    expect((await refusal(store.get('machine-key'))).key).toBe('licensing.secrets.otherPc');
    await expect(store.set('../escape', secret)).rejects.toThrow('not a secret name');
  });

  it('says which file it could not write or read', async () => {
    // A folder (with something in it) where the secret's file should be.
    fs.mkdirSync(path.join(secretsDir(dataDir), 'machine-key.secret', 'in-the-way'), { recursive: true });
    const error = await refusal(new ProtectedFileSecretStore(dataDir, 'os:x').set('machine-key', secret));
    expect(error.key).toBe('licensing.secrets.writeFailed');
    expect(translate('en', error.key, error.params)).toContain(path.join(secretsDir(dataDir), 'machine-key.secret'));
    expect(fs.readdirSync(secretsDir(dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    fs.rmSync(secretsDir(dataDir), { recursive: true });
    fs.writeFileSync(secretsDir(dataDir), 'a file where the folder should be');
    const unreadable = await refusal(new ProtectedFileSecretStore(dataDir, 'os:x').get('machine-key'));
    expect(unreadable.key).toBe('licensing.secrets.readFailed');
    expect(translate('zh-CN', unreadable.key, unreadable.params)).toContain(secretsDir(dataDir));
  });
});

/** Seals with a key of its own, like the OS keychain: the sealed bytes mean nothing without it. */
function fakeKeychain(): SecretCipher & { locked: boolean } {
  const mask = (bytes: Buffer) => Buffer.from(bytes.map((byte, index) => byte ^ (0x5a + index) % 256));
  return {
    locked: false,
    async encrypt(bytes) {
      if (this.locked) throw new Error('the keychain is locked');
      return Buffer.concat([Buffer.from('KC1'), mask(bytes)]);
    },
    async decrypt(bytes) {
      if (this.locked || !bytes.subarray(0, 3).equals(Buffer.from('KC1'))) throw new Error('cannot decrypt');
      return mask(bytes.subarray(3));
    },
  };
}

describe('keychain secret store', () => {
  it('keeps what the keychain sealed, and says so when the keychain cannot open or seal', async () => {
    const keychain = fakeKeychain();
    const store = new KeychainSecretStore(dataDir, keychain);
    expect(store.kind).toBe('os-keychain');
    await store.set('machine-key', secret);
    expect(fs.readFileSync(path.join(secretsDir(dataDir), 'machine-key.keychain')).includes(secret)).toBe(false);
    expect(await store.get('machine-key')).toEqual(secret);
    keychain.locked = true;
    expect((await refusal(store.get('machine-key'))).key).toBe('licensing.secrets.keychainCannotOpen');
    expect((await refusal(store.set('machine-key', secret))).key).toBe('licensing.secrets.keychainFailed');
    keychain.locked = false;
    expect(await store.get('machine-key')).toEqual(secret);
  });
});
