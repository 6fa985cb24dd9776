// Package verification against a good package signed exactly as the cloud signs one (its keyring,
// signPackage, writePackageZip) and a generated corpus of bad packages, one or more per rule, each
// built programmatically; fast-check varies names and contents for the path and hash rules.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TemplateManifestSchema, type PackageSignaturePayload } from '../../shared/cloud/index.ts';
import { AppError } from '../../shared/errors.ts';
import { generateSigningKey, Keyring, sha256Hex } from '../../cloud/crypto/keys.ts';
import { signPackage } from '../../cloud/publishing/publish.ts';
import { writePackageZip } from '../../cloud/publishing/zip.ts';
import { verifyPackage, type PackageRefusal, type VerifyPackageOptions } from './verify-package.ts';

const marketplace = new Keyring(generateSigningKey());
const stranger = new Keyring(generateSigningKey());
const APP_VERSION = '0.5.0';
const options: VerifyPackageOptions = { trustedKeys: marketplace.publicKeys(), appVersion: APP_VERSION };
const ORGANISATION = 'org_abcdefghijkl';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'plantdesk-verify-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** A 1×1 PNG, for the screenshot. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/**
 * A manifest as cloud/test-support.ts writes one (not imported from there: it pulls the whole cloud
 * server, and its fetch code does not type-check under the electron layer's DOM lib, which includes core).
 */
function templateManifest(fixture: { publisher: string; version?: string; appVersions?: string; manifest?: Record<string, unknown> }): Record<string, unknown> {
  return {
    manifestVersion: 1,
    id: `${fixture.publisher}.cnc-oee`,
    version: fixture.version ?? '1.0.0',
    name: { 'zh-CN': 'CNC 单元 OEE', en: 'OEE for a CNC cell' },
    summary: { 'zh-CN': '设备综合效率，按班次统计', en: 'Overall equipment effectiveness by shift' },
    description: { 'zh-CN': '从 PLC 读取运行、停机和产量，计算 OEE。', en: 'Reads run, stop and count signals from the PLC and computes OEE.' },
    publisher: { id: fixture.publisher, name: `${fixture.publisher} Automation` },
    categories: ['oee'],
    appVersions: fixture.appVersions ?? '>=0.1.0 <1.0.0',
    drivers: ['modbus-tcp'],
    permissions: [],
    licence: {
      features: ['shift-report'],
      meters: [{ id: 'machine-hours', unit: 'min', description: { 'zh-CN': '运行分钟', en: 'Minutes running' } }],
    },
    contents: { dashboards: ['dashboards/oee.json'], kpis: ['kpis/oee.json'] },
    screenshots: [{ path: 'screenshots/overview.png', caption: { 'zh-CN': '总览', en: 'Overview' } }],
    ...fixture.manifest,
  };
}

/** The files of a publisher's upload (the cloud's own fixture). */
function uploadFiles(manifest: Record<string, unknown> = {}): Map<string, Buffer> {
  return new Map([
    ['manifest.json', Buffer.from(JSON.stringify(templateManifest({ publisher: 'acme', manifest })))],
    ['dashboards/oee.json', Buffer.from(JSON.stringify({ widgets: [{ kind: 'gauge', kpi: 'oee' }] }))],
    ['kpis/oee.json', Buffer.from(JSON.stringify({ id: 'oee', expression: 'availability * performance * quality' }))],
    ['screenshots/overview.png', TINY_PNG],
  ]);
}

/** The signature line the cloud would write for these files, with parts of the payload changed. */
function signatureLine(files: ReadonlyMap<string, Buffer>, change: Partial<PackageSignaturePayload> = {}, keys = marketplace, kind: 'package' | 'licence' = 'package'): string {
  const payload = {
    v: 1,
    templateId: 'acme.cnc-oee',
    version: '1.0.0',
    publisherId: 'acme',
    organisationId: ORGANISATION,
    signedAt: Date.UTC(2026, 0, 1),
    files: [...files.keys()].sort().map((file) => ({ path: file, size: files.get(file)!.length, sha256: sha256Hex(files.get(file)!) })),
    ...change,
  };
  return keys.sign(kind, payload);
}

interface Entry {
  name: string;
  data: Buffer;
  mode?: number;
  compress?: boolean;
}

/** A zip of exactly these entries, in this order (duplicates and odd modes included). */
function zipOf(entries: readonly Entry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(entry.data, entry.name, { mtime: new Date(Date.UTC(2020, 0, 1)), mode: entry.mode ?? 0o100644, compress: entry.compress ?? true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The upload's files plus a `package.sig` line (by default the one the marketplace would sign for them). */
function signedEntries(files: ReadonlyMap<string, Buffer>, line = signatureLine(files)): Entry[] {
  return [...[...files].map(([name, data]) => ({ name, data })), { name: 'package.sig', data: Buffer.from(`${line}\n`) }];
}

/** Calls `change` at each local and central header of the entry named `name`, with the header's offset. */
function patchHeaders(zip: Buffer, name: string, change: (zip: Buffer, offset: number, central: boolean) => void): Buffer {
  const out = Buffer.from(zip);
  const wanted = Buffer.from(name);
  let patched = 0;
  for (let at = 0; at + 46 < out.length; at++) {
    const signature = out.readUInt32LE(at);
    if (signature === 0x04034b50 && out.readUInt16LE(at + 26) === wanted.length && out.subarray(at + 30, at + 30 + wanted.length).equals(wanted)) {
      change(out, at, false);
      patched++;
    } else if (signature === 0x02014b50 && out.readUInt16LE(at + 28) === wanted.length && out.subarray(at + 46, at + 46 + wanted.length).equals(wanted)) {
      change(out, at, true);
      patched++;
    }
  }
  expect(patched).toBe(2);
  return out;
}

/** A zip whose entry name no zip writer would write: written under a placeholder, then renamed in place. */
async function zipWithRawName(name: string, data = Buffer.from('{}')): Promise<Buffer> {
  const placeholder = 'Q'.repeat(Buffer.byteLength(name));
  const zip = await zipOf([...signedEntries(uploadFiles()), { name: placeholder, data }]);
  return Buffer.from(zip.toString('latin1').replaceAll(placeholder, Buffer.from(name).toString('latin1')), 'latin1');
}

/** The refusal reason and message key of a verification that must fail. */
async function refusal(source: Uint8Array | { path: string }, opts: VerifyPackageOptions = options): Promise<{ reason: PackageRefusal; key: string; error: AppError }> {
  try {
    await verifyPackage(source, opts);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('invalid_input');
    return { reason: appError.details?.reason as PackageRefusal, key: appError.key, error: appError };
  }
  throw new Error('the package was accepted');
}

describe('verifyPackage: a good package', () => {
  it('verifies a package signed by the marketplace, from bytes and from a file, and returns the manifest and every signed file', async () => {
    const files = uploadFiles();
    const manifest = TemplateManifestSchema.parse(JSON.parse(files.get('manifest.json')!.toString()));
    const signed = await signPackage(marketplace, { manifest, files }, { organisationId: ORGANISATION, signedAt: Date.UTC(2026, 0, 1) });

    const verified = await verifyPackage(signed.zip, options);
    expect(verified.manifest.id).toBe('acme.cnc-oee');
    expect(verified.manifest.name['zh-CN']).toBe('CNC 单元 OEE');
    expect(verified.signature.keyId).toBe(marketplace.current.keyId);
    expect(verified.files.map((file) => file.path)).toEqual(['dashboards/oee.json', 'kpis/oee.json', 'manifest.json', 'screenshots/overview.png']);
    for (const file of verified.files) {
      expect(file.bytes.equals(files.get(file.path)!)).toBe(true);
      expect(file.sha256).toBe(sha256Hex(files.get(file.path)!));
    }

    const onDisk = path.join(tmp, 'acme.cnc-oee-1.0.0.zip');
    await fs.writeFile(onDisk, signed.zip);
    expect((await verifyPackage({ path: onDisk }, options)).manifest.version).toBe('1.0.0');
  });

  it('accepts the next key during a rotation, and a package whose files come in any order', async () => {
    const next = new Keyring(generateSigningKey());
    const files = uploadFiles();
    const entries = signedEntries(files, signatureLine(files, {}, next)).reverse();
    const trusted = [...marketplace.publicKeys(), { ...next.publicKeys()[0]!, status: 'next' as const }];
    expect((await verifyPackage(await zipOf(entries), { ...options, trustedKeys: trusted })).files).toHaveLength(4);
  });
});

interface BadPackage {
  rule: string;
  reason: PackageRefusal;
  key: string;
  build: () => Promise<Buffer | { path: string }>;
  opts?: Partial<VerifyPackageOptions>;
  /** Words the English message must contain (the file or field it names). */
  names?: string;
}

const files = uploadFiles();
const without = (name: string) => new Map([...files].filter(([file]) => file !== name));
const withFile = (name: string, data: Buffer) => new Map([...files, [name, data]]);

const CORPUS: BadPackage[] = [
  { rule: 'not a zip', reason: 'not_zip', key: 'error.packageNotZip', build: async () => Buffer.from('PK\u0003\u0004 this is not a zip') },
  { rule: 'a path that cannot be read', reason: 'unreadable', key: 'error.packageUnreadable', build: async () => ({ path: path.join(os.tmpdir(), 'no-such-package.zip') }) },
  // Signature
  { rule: 'no package.sig', reason: 'signature_missing', key: 'error.packageSignatureMissing', build: () => writePackageZip(files) },
  { rule: 'a damaged signature line', reason: 'signature_unreadable', key: 'error.packageSignatureUnreadable', build: () => zipOf(signedEntries(files, 'package.e30.AAAA')) },
  {
    rule: 'a signature over another payload',
    reason: 'signature_bad',
    key: 'error.packageSignatureBad',
    build: () => {
      const [kind, , signature] = signatureLine(files).split('.');
      const [, otherPayload] = signatureLine(files, { signedAt: Date.UTC(2027, 0, 1) }).split('.');
      return zipOf(signedEntries(files, `${kind}.${otherPayload}.${signature}`));
    },
  },
  { rule: 'a licence signature used as a package signature', reason: 'signature_bad', key: 'error.packageSignatureBad', build: () => zipOf(signedEntries(files, signatureLine(files, {}, marketplace, 'licence'))) },
  { rule: 'a key that is not trusted', reason: 'key_untrusted', key: 'error.packageKeyUntrusted', build: () => zipOf(signedEntries(files, signatureLine(files, {}, stranger))) },
  {
    rule: 'a pinned key whose id does not match its bytes',
    reason: 'key_untrusted',
    key: 'error.packageKeyUntrusted',
    build: () => zipOf(signedEntries(files)),
    opts: { trustedKeys: [{ keyId: marketplace.current.keyId, publicKey: stranger.current.publicKey }] },
  },
  // Signed list
  { rule: 'a listed file missing', reason: 'file_missing', key: 'error.packageFileMissing', names: 'kpis/oee.json', build: () => zipOf(signedEntries(without('kpis/oee.json'), signatureLine(files))) },
  {
    rule: 'a file whose size differs from the list',
    reason: 'file_changed',
    key: 'error.packageFileChanged',
    names: 'dashboards/oee.json',
    build: () => zipOf(signedEntries(withFile('dashboards/oee.json', Buffer.concat([files.get('dashboards/oee.json')!, Buffer.from(' ')])), signatureLine(files))),
  },
  // Manifest
  { rule: 'no manifest.json', reason: 'manifest_missing', key: 'error.packageManifestMissing', build: () => zipOf(signedEntries(without('manifest.json'))) },
  { rule: 'a manifest that is not JSON', reason: 'manifest_not_json', key: 'error.packageManifestNotJson', build: () => zipOf(signedEntries(withFile('manifest.json', Buffer.from('{"id": ')))) },
  {
    rule: 'a manifest with a bad version',
    reason: 'manifest_invalid',
    key: 'error.packageManifestInvalid',
    names: 'manifest.version',
    build: () => zipOf(signedEntries(withFile('manifest.json', Buffer.from(JSON.stringify(templateManifest({ publisher: 'acme', version: 'one' })))))),
  },
  {
    rule: 'a manifest with an unknown field',
    reason: 'manifest_invalid',
    key: 'error.packageManifestInvalid',
    names: 'manifest',
    build: () => zipOf(signedEntries(withFile('manifest.json', Buffer.from(JSON.stringify(templateManifest({ publisher: 'acme', manifest: { script: 'run.js' } })))))),
  },
  {
    rule: 'a manifest without a bilingual name',
    reason: 'manifest_invalid',
    key: 'error.packageManifestInvalid',
    names: 'manifest.name.zh-CN',
    build: () => zipOf(signedEntries(withFile('manifest.json', Buffer.from(JSON.stringify(templateManifest({ publisher: 'acme', manifest: { name: { en: 'OEE' } } })))))),
  },
  {
    rule: 'a manifest whose appVersions is not a range',
    reason: 'manifest_invalid',
    key: 'error.packageManifestInvalid',
    names: 'manifest.appVersions',
    build: () => zipOf(signedEntries(withFile('manifest.json', Buffer.from(JSON.stringify(templateManifest({ publisher: 'acme', appVersions: 'the latest' })))))),
  },
  {
    rule: 'a manifest naming content the package lacks',
    reason: 'manifest_invalid',
    key: 'error.packageManifestInvalid',
    names: 'manifest.contents',
    build: () => zipOf(signedEntries(withFile('manifest.json', Buffer.from(JSON.stringify(templateManifest({ publisher: 'acme', manifest: { contents: { kpis: ['kpis/energy.json'] } } })))))),
  },
  { rule: 'a manifest for another template than the signature', reason: 'manifest_mismatch', key: 'error.packageManifestMismatch', build: () => zipOf(signedEntries(files, signatureLine(files, { templateId: 'acme.other' }))) },
  {
    rule: 'an app version outside the manifest range',
    reason: 'app_version',
    key: 'error.packageAppVersion',
    names: '>=2.0.0',
    build: () => zipOf(signedEntries(withFile('manifest.json', Buffer.from(JSON.stringify(templateManifest({ publisher: 'acme', appVersions: '>=2.0.0 <3.0.0' })))))),
  },
  // Limits
  { rule: 'a package over the size limit', reason: 'too_large', key: 'error.packageTooLarge', build: () => zipOf(signedEntries(files)), opts: { limits: { maxPackageBytes: 512 } } },
  {
    rule: 'a package file over the size limit',
    reason: 'too_large',
    key: 'error.packageTooLarge',
    build: async () => {
      const onDisk = path.join(tmp, 'big.zip');
      await fs.writeFile(onDisk, await zipOf(signedEntries(files)));
      return { path: onDisk };
    },
    opts: { limits: { maxPackageBytes: 512 } },
  },
  { rule: 'a file over the per-file limit', reason: 'file_too_large', key: 'error.packageFileTooLarge', names: 'dashboards/oee.json', build: () => zipOf(signedEntries(files)), opts: { limits: { maxFileBytes: 40 } } },
  { rule: 'a manifest over its limit', reason: 'file_too_large', key: 'error.packageFileTooLarge', names: 'manifest.json', build: () => zipOf(signedEntries(files)), opts: { limits: { maxManifestBytes: 100 } } },
  { rule: 'more than the total size', reason: 'total_too_large', key: 'error.packageTotalTooLarge', build: () => zipOf(signedEntries(files)), opts: { limits: { maxTotalBytes: 300 } } },
  {
    rule: 'more entries than allowed (the default limit)',
    reason: 'too_many_entries',
    key: 'error.packageTooManyEntries',
    build: () => zipOf(Array.from({ length: 501 }, (_, index) => ({ name: `data/${index}.csv`, data: Buffer.from('a,b\n') }))),
  },
  // Zip bombs
  {
    rule: 'a file that unpacks larger than declared',
    reason: 'size_mismatch',
    key: 'error.packageSizeMismatch',
    names: 'kpis/oee.json',
    build: async () =>
      patchHeaders(await zipOf(signedEntries(files)), 'kpis/oee.json', (zip, at, central) => zip.writeUInt32LE(10, at + (central ? 24 : 22))),
  },
  {
    rule: 'a file that unpacks smaller than declared',
    reason: 'size_mismatch',
    key: 'error.packageSizeMismatch',
    names: 'kpis/oee.json',
    build: async () =>
      patchHeaders(await zipOf(signedEntries(files)), 'kpis/oee.json', (zip, at, central) => zip.writeUInt32LE(5000, at + (central ? 24 : 22))),
  },
  {
    rule: 'a file that shrinks a thousandfold (a zip bomb)',
    reason: 'compression_ratio',
    key: 'error.packageCompressionRatio',
    names: 'data/zeros.csv',
    build: () => zipOf(signedEntries(withFile('data/zeros.csv', Buffer.alloc(2 * 1024 * 1024, '0')))),
  },
  // Entries
  {
    rule: 'a duplicate entry',
    reason: 'duplicate',
    key: 'error.packageDuplicate',
    names: 'kpis/oee.json',
    build: () => zipOf([...signedEntries(files), { name: 'kpis/oee.json', data: files.get('kpis/oee.json')! }]),
  },
  {
    rule: 'a duplicate differing only in case',
    reason: 'duplicate',
    key: 'error.packageDuplicate',
    names: 'KPIs/OEE.json',
    build: () => zipOf([...signedEntries(files), { name: 'KPIs/OEE.json', data: Buffer.from('{}') }]),
  },
  {
    rule: 'a duplicate differing only in Unicode form',
    reason: 'duplicate',
    key: 'error.packageDuplicate',
    build: () => zipOf([...signedEntries(files), { name: 'data/caf\u00e9.csv', data: Buffer.from('a') }, { name: 'data/cafe\u0301.csv', data: Buffer.from('b') }]),
  },
  {
    rule: 'a symbolic link',
    reason: 'symlink',
    key: 'error.packageSymlink',
    names: 'dashboards/link.json',
    build: () => zipOf([...signedEntries(files), { name: 'dashboards/link.json', data: Buffer.from('../../../Windows/System32'), mode: 0o120777 }]),
  },
  {
    rule: 'an encrypted entry',
    reason: 'encrypted',
    key: 'error.packageEncrypted',
    names: 'kpis/oee.json',
    build: async () =>
      patchHeaders(await zipOf(signedEntries(files)), 'kpis/oee.json', (zip, at, central) => {
        const flags = at + (central ? 8 : 6);
        zip.writeUInt16LE(zip.readUInt16LE(flags) | 1, flags);
      }),
  },
  ...['run.js', 'setup.exe', 'hook.dll', 'start.bat', 'start.cmd', 'install.ps1', 'install.sh', 'macro.vbs', 'page.html', 'lib.so', 'noextension'].map(
    (name): BadPackage => ({
      rule: `an executable (${name})`,
      reason: 'executable',
      key: 'error.packageExecutable',
      names: `scripts/${name}`,
      build: () => zipOf(signedEntries(withFile(`scripts/${name}`, Buffer.from('echo hello')))),
    }),
  ),
  ...[
    ['a Windows program', Buffer.from('MZ\u0090\u0000\u0003')],
    ['an ELF program', Buffer.from('\u007fELF\u0002\u0001')],
    ['a script', Buffer.from('#!/bin/sh\nrm -rf /\n')],
  ].map(
    ([what, data]): BadPackage => ({
      rule: `${what as string} named .json`,
      reason: 'executable',
      key: 'error.packageExecutable',
      names: 'kpis/oee.json',
      build: () => zipOf(signedEntries(withFile('kpis/oee.json', data as Buffer))),
    }),
  ),
];

describe('verifyPackage: a corpus of bad packages, one per rule', () => {
  it.each(CORPUS.map((bad) => [bad.rule, bad] as const))('refuses %s', async (_rule, bad) => {
    const source = await bad.build();
    const { reason, key, error } = await refusal(source, { ...options, ...bad.opts });
    expect({ reason, key }, error.message).toEqual({ reason: bad.reason, key: bad.key });
    if (bad.names) expect(error.message).toContain(bad.names);
    // Said in both languages, with nothing left unfilled.
    for (const locale of ['en', 'zh-CN'] as const) expect(error.toBody(locale).message).not.toMatch(/\{\{/);
  });

  it('covers every refusal reason', () => {
    const covered = new Set(CORPUS.map((bad) => bad.reason));
    const all: PackageRefusal[] = [
      'unreadable', 'not_zip', 'too_large', 'too_many_entries', 'file_too_large', 'total_too_large', 'size_mismatch', 'compression_ratio',
      'unsafe_path', 'duplicate', 'symlink', 'encrypted', 'executable', 'signature_missing', 'signature_unreadable', 'signature_bad',
      'key_untrusted', 'file_changed', 'file_not_listed', 'file_missing', 'manifest_missing', 'manifest_not_json', 'manifest_invalid',
      'manifest_mismatch', 'app_version',
    ];
    // The path, hash and listing rules are also generated below.
    const generated: PackageRefusal[] = ['unsafe_path', 'file_not_listed', 'file_changed'];
    expect(all.filter((reason) => !covered.has(reason) && !generated.includes(reason))).toEqual([]);
  });
});

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,15}$/);
const safeName = fc.tuple(fc.array(segment, { maxLength: 3 }), segment, fc.constantFrom('.json', '.csv', '.md', '.txt')).map(([folders, base, ext]) => [...folders, base + ext].join('/'));

describe('verifyPackage: generated names and contents', () => {
  it('refuses any path that leaves the package: "..", absolute, drive letters, backslashes', async () => {
    const unsafe = fc.oneof(
      safeName.map((name) => `../${name}`),
      safeName.map((name) => `dashboards/../../${name}`),
      fc.tuple(safeName, fc.constantFrom('..', '.')).map(([name, dots]) => `${dots}/${name}`),
      safeName.map((name) => `/${name}`),
      fc.tuple(fc.constantFrom('C', 'c', 'D', 'Z'), safeName).map(([drive, name]) => `${drive}:/${name}`),
      fc.tuple(fc.constantFrom('C', 'D'), safeName).map(([drive, name]) => `${drive}:${name}`),
      safeName.map((name) => `dashboards\\${name}`),
      safeName.map((name) => `..\\..\\${name.replaceAll('/', '\\')}`),
      safeName.map((name) => `\\\\server\\share\\${name}`),
    );
    await fc.assert(
      fc.asyncProperty(unsafe, async (name) => {
        const { reason, error } = await refusal(await zipWithRawName(name));
        expect(reason).toBe('unsafe_path');
        expect(error.message).toContain(name);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses any file added after signing, whatever its name', async () => {
    const line = signatureLine(files);
    const fresh = safeName.filter((name) => ![...files.keys(), 'package.sig'].some((file) => file.toLowerCase() === name.toLowerCase()));
    await fc.assert(
      fc.asyncProperty(fresh, fc.uint8Array({ maxLength: 200 }), async (name, data) => {
        const zip = await zipOf(signedEntries(withFile(name, Buffer.concat([Buffer.from(' '), data])), line));
        const { reason, error } = await refusal(zip);
        expect(reason).toBe('file_not_listed');
        expect(error.message).toContain(name);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses any signed file whose bytes changed', async () => {
    const line = signatureLine(files);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files.keys()), fc.uint8Array({ maxLength: 300 }), async (name, data) => {
        // A leading space keeps the change from also looking like a program.
        const changed = Buffer.concat([Buffer.from(' '), data]);
        fc.pre(!changed.equals(files.get(name)!));
        const { reason, error } = await refusal(await zipOf(signedEntries(withFile(name, changed), line)));
        expect(reason).toBe('file_changed');
        expect(error.message).toContain(name);
      }),
      { numRuns: 40 },
    );
  });

  it('accepts any declarative file the signature lists', async () => {
    await fc.assert(
      fc.asyncProperty(safeName, fc.string({ maxLength: 200 }), async (name, text) => {
        fc.pre(![...files.keys()].some((file) => file.toLowerCase() === name.toLowerCase()));
        const withExtra = withFile(name, Buffer.from(` ${text}`));
        const verified = await verifyPackage(await zipOf(signedEntries(withExtra)), options);
        expect(verified.files.map((file) => file.path)).toContain(name);
      }),
      { numRuns: 30 },
    );
  });
});
