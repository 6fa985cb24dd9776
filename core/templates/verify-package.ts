// Verification of a template package before anything is written: the zip is read in memory with
// every limit checked while it streams (entries, sizes, zip bombs, paths, duplicates, symlinks,
// encryption, executables), then `package.sig` is checked against the pinned marketplace keys, then
// every file against the signed list, then the manifest against its schema and this app's version.
// The formats are the cloud's (shared/cloud/manifest.ts, shared/cloud/signed-document.ts); see
// docs/template-packages.md. Nothing here touches the disk except reading the package itself.
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import semver from 'semver';
import yauzl from 'yauzl';
import {
  base64urlDecode,
  checkSignedDocument,
  isSafePackagePath,
  MANIFEST_FILE,
  manifestFiles,
  MAX_DOCUMENT_LENGTH,
  PACKAGE_LIMITS,
  PACKAGE_SIGNATURE_FILE,
  PackageSignaturePayloadSchema,
  TemplateManifestSchema,
  utf8Decode,
  type PackageSignaturePayload,
  type SignatureChecker,
  type TemplateManifest,
} from '../../shared/cloud/index.ts';
import { AppError, type MessageParams } from '../../shared/errors.ts';
import type { MessageKey } from '../../shared/i18n/index.ts';

/** The cloud's package limits, plus what only a reader needs: how much a file may shrink in the zip. */
export const VERIFY_LIMITS = {
  ...PACKAGE_LIMITS,
  /** Uncompressed ÷ compressed size above which an entry counts as a zip bomb… */
  maxCompressionRatio: 200,
  /** …once it unpacks to more than this (tiny files compress oddly and are harmless). */
  compressionRatioFloorBytes: 64 * 1024,
} as const;
export type VerifyLimits = { -readonly [K in keyof typeof VERIFY_LIMITS]: number };

/** Why a package was refused; also `details.reason` of the AppError. */
export type PackageRefusal =
  | 'unreadable'
  | 'not_zip'
  | 'too_large'
  | 'too_many_entries'
  | 'file_too_large'
  | 'total_too_large'
  | 'size_mismatch'
  | 'compression_ratio'
  | 'unsafe_path'
  | 'duplicate'
  | 'symlink'
  | 'encrypted'
  | 'executable'
  | 'signature_missing'
  | 'signature_unreadable'
  | 'signature_bad'
  | 'key_untrusted'
  | 'file_changed'
  | 'file_not_listed'
  | 'file_missing'
  | 'manifest_missing'
  | 'manifest_not_json'
  | 'manifest_invalid'
  | 'manifest_mismatch'
  | 'app_version';

/** A marketplace public key the app pins (as `GET /v1/keys` and activation hand them out). */
export interface TrustedKey {
  keyId: string;
  /** The 32 raw bytes of the Ed25519 public key, in base64url. */
  publicKey: string;
}

export interface VerifyPackageOptions {
  trustedKeys: readonly TrustedKey[];
  /** This app's version, matched against the manifest's `appVersions` range. */
  appVersion: string;
  /** Stricter limits for a host or a test; never looser than the defaults make sense. */
  limits?: Partial<VerifyLimits>;
}

export interface VerifiedFile {
  path: string;
  size: number;
  sha256: string;
  bytes: Buffer;
}

export interface VerifiedPackage {
  manifest: TemplateManifest;
  /** The signed payload of `package.sig`: key id, template, version, publisher, signing time. */
  signature: PackageSignaturePayload;
  /** Every signed file (manifest.json included, package.sig not), in path order. */
  files: VerifiedFile[];
}

/** Declarative content only: data, text and images. Anything else may be run by something. */
const ALLOWED_NAME = /\.(json|csv|md|txt|png|jpe?g)$/i;
const ALLOWED_BARE_NAMES = new Set([PACKAGE_SIGNATURE_FILE, 'LICENSE']);
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const GP_ENCRYPTED = 1;
const GP_UTF8 = 1 << 11;

function refuse(reason: PackageRefusal, key: MessageKey, params: MessageParams = {}): never {
  throw new AppError('invalid_input', key, { params, details: { ...params, reason } });
}

/** Starts of executables and scripts, whatever the file is called. */
function looksExecutable(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4);
  if (head[0] === 0x4d && head[1] === 0x5a) return true; // MZ: Windows .exe/.dll
  if (head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return true; // ELF
  if (head[0] === 0x23 && head[1] === 0x21) return true; // #! script
  const magic = head.length === 4 ? head.readUInt32BE(0) : 0;
  return [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic); // Mach-O
}

function isExecutableName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return !ALLOWED_NAME.test(base) && !ALLOWED_BARE_NAMES.has(path);
}

/** A name as the zip stores it: UTF-8 when flagged, else plain ASCII only (no CP437 guessing). */
function decodeName(raw: Buffer, flags: number): string | undefined {
  if (flags & GP_UTF8) return utf8Decode(raw);
  return raw.every((byte) => byte < 0x80) ? raw.toString('latin1') : undefined;
}

function openZip(zip: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    // decodeStrings off: yauzl would rewrite or reject bad names itself, and we want to name them.
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false, autoClose: true }, (error, file) =>
      error || !file ? reject(error ?? new Error('no zip')) : resolve(file),
    ),
  );
}

interface ReadFile {
  bytes: Buffer;
  sha256: string;
}

/** Reads one entry, stopping as soon as it passes its declared size (yauzl checks the other way). */
function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, path: string): Promise<ReadFile> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error('no data'));
      const hash = crypto.createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const fail = (problem: unknown) => {
        if (done) return;
        done = true;
        stream.destroy();
        reject(problem);
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > entry.uncompressedSize) {
          return fail(new AppError('invalid_input', 'error.packageSizeMismatch', { params: { file: path }, details: { reason: 'size_mismatch', file: path } }));
        }
        hash.update(chunk);
        chunks.push(chunk);
      });
      stream.on('error', (streamError: Error) =>
        fail(
          /too many bytes|not enough bytes/.test(streamError.message)
            ? new AppError('invalid_input', 'error.packageSizeMismatch', { params: { file: path }, details: { reason: 'size_mismatch', file: path } })
            : new AppError('invalid_input', 'error.packageNotZip', { params: { problem: streamError.message }, details: { reason: 'not_zip', file: path } }),
        ),
      );
      stream.on('end', () => {
        if (done) return;
        done = true;
        resolve({ bytes: Buffer.concat(chunks), sha256: hash.digest('hex') });
      });
    });
  });
}

/** Every plain file of the zip by path, after the structural checks; throws an AppError on the first problem. */
async function readPackageEntries(zipBytes: Buffer, limits: VerifyLimits): Promise<Map<string, ReadFile>> {
  if (zipBytes.length > limits.maxPackageBytes) refuse('too_large', 'error.packageTooLarge', { size: zipBytes.length, max: limits.maxPackageBytes });
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipBytes);
  } catch (error) {
    return refuse('not_zip', 'error.packageNotZip', { problem: (error as Error).message });
  }
  if (zip.entryCount > limits.maxFiles) {
    zip.close();
    refuse('too_many_entries', 'error.packageTooManyEntries', { count: zip.entryCount, max: limits.maxFiles });
  }
  const files = new Map<string, ReadFile>();
  const seen = new Map<string, string>();
  let total = 0;
  let entries = 0;
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      zip.close();
      reject(error instanceof AppError ? error : new AppError('invalid_input', 'error.packageNotZip', { params: { problem: (error as Error).message }, details: { reason: 'not_zip' } }));
    };
    zip.on('error', fail);
    zip.on('end', () => {
      if (!failed) resolve(files);
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        if (++entries > limits.maxFiles) refuse('too_many_entries', 'error.packageTooManyEntries', { count: entries, max: limits.maxFiles });
        const raw = entry.fileName as unknown as Buffer;
        const name = decodeName(raw, entry.generalPurposeBitFlag);
        const shown = name ?? raw.toString('latin1');
        const isDirectory = name !== undefined && name.endsWith('/') && !name.endsWith('//');
        const path = isDirectory ? name.slice(0, -1) : name;
        if (path === undefined || !isSafePackagePath(path)) refuse('unsafe_path', 'error.packageUnsafePath', { file: shown });
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        if (mode === S_IFLNK) refuse('symlink', 'error.packageSymlink', { file: path });
        if ((entry.generalPurposeBitFlag & GP_ENCRYPTED) !== 0) refuse('encrypted', 'error.packageEncrypted', { file: path });
        // One name per file on Windows and macOS: case and Unicode normal form do not tell files apart.
        const folded = path.normalize('NFC').toLowerCase();
        const earlier = seen.get(folded);
        if (earlier !== undefined) refuse('duplicate', 'error.packageDuplicate', { file: path, other: earlier });
        seen.set(folded, path);
        if (!isDirectory) {
          if (isExecutableName(path)) refuse('executable', 'error.packageExecutable', { file: path });
          const max = path === PACKAGE_SIGNATURE_FILE ? MAX_DOCUMENT_LENGTH + 2 : path === MANIFEST_FILE ? limits.maxManifestBytes : limits.maxFileBytes;
          if (entry.uncompressedSize > max) refuse('file_too_large', 'error.packageFileTooLarge', { file: path, max });
          total += entry.uncompressedSize;
          if (total > limits.maxTotalBytes) refuse('total_too_large', 'error.packageTotalTooLarge', { max: limits.maxTotalBytes });
          const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
          if (entry.uncompressedSize > limits.compressionRatioFloorBytes && ratio > limits.maxCompressionRatio) {
            refuse('compression_ratio', 'error.packageCompressionRatio', { file: path, ratio: Math.round(ratio), max: limits.maxCompressionRatio });
          }
          const read = await readEntry(zip, entry, path);
          if (looksExecutable(read.bytes)) refuse('executable', 'error.packageExecutable', { file: path });
          files.set(path, read);
        }
        zip.readEntry();
      })().catch(fail);
    });
    zip.readEntry();
  });
}

/** A checker for `checkSignedDocument` over the pinned keys; a pinned key whose id does not match its bytes is ignored. */
export function trustedKeyChecker(keys: readonly TrustedKey[]): SignatureChecker {
  const byId = new Map<string, KeyObject>();
  for (const key of keys) {
    const raw = base64urlDecode(key.publicKey);
    if (!raw || raw.length !== 32) continue;
    if (crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16) !== key.keyId) continue;
    try {
      byId.set(key.keyId, crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey }, format: 'jwk' }));
    } catch {
      // Not an Ed25519 key: it trusts nothing.
    }
  }
  return (keyId, message, signature) => {
    const publicKey = byId.get(keyId);
    if (!publicKey) return 'unknown_key';
    try {
      return crypto.verify(null, message, publicKey, signature) ? 'valid' : 'invalid';
    } catch {
      return 'invalid';
    }
  };
}

function describeField(path: readonly PropertyKey[]): string {
  return ['manifest', ...path.map(String)].join('.');
}

/**
 * Verifies a template package before anything is installed: returns its manifest and signed files,
 * or throws an AppError (`invalid_input`, `details.reason` a {@link PackageRefusal}) saying why not.
 * @example const verified = await verifyPackage(zipBytes, { trustedKeys, appVersion: APP_VERSION })
 */
export async function verifyPackage(source: Uint8Array | { path: string }, options: VerifyPackageOptions): Promise<VerifiedPackage> {
  const limits: VerifyLimits = { ...VERIFY_LIMITS, ...options.limits };
  let zipBytes: Buffer;
  if (source instanceof Uint8Array) zipBytes = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  else {
    try {
      const stat = await fs.stat(source.path);
      if (!stat.isFile()) throw new Error('not a file');
      if (stat.size > limits.maxPackageBytes) refuse('too_large', 'error.packageTooLarge', { size: stat.size, max: limits.maxPackageBytes });
      zipBytes = await fs.readFile(source.path);
    } catch (error) {
      if (error instanceof AppError) throw error;
      return refuse('unreadable', 'error.packageUnreadable', { file: source.path, problem: (error as Error).message });
    }
  }

  const files = await readPackageEntries(zipBytes, limits);

  const sigFile = files.get(PACKAGE_SIGNATURE_FILE);
  if (!sigFile) return refuse('signature_missing', 'error.packageSignatureMissing', { file: PACKAGE_SIGNATURE_FILE });
  files.delete(PACKAGE_SIGNATURE_FILE);
  const check = checkSignedDocument(utf8Decode(sigFile.bytes) ?? '', 'package', PackageSignaturePayloadSchema, trustedKeyChecker(options.trustedKeys));
  if (check.status === 'cannot_verify') {
    if (check.reason === 'unknown_key') refuse('key_untrusted', 'error.packageKeyUntrusted', { file: PACKAGE_SIGNATURE_FILE });
    refuse('signature_unreadable', 'error.packageSignatureUnreadable', { file: PACKAGE_SIGNATURE_FILE });
  }
  if (check.status === 'bad') return refuse('signature_bad', 'error.packageSignatureBad', { file: PACKAGE_SIGNATURE_FILE });
  const payload = check.payload;

  const listed = new Map(payload.files.map((file) => [file.path, file]));
  for (const [path, file] of files) {
    const entry = listed.get(path);
    if (!entry) refuse('file_not_listed', 'error.packageFileNotListed', { file: path });
    if (entry.size !== file.bytes.length || entry.sha256 !== file.sha256) refuse('file_changed', 'error.packageFileChanged', { file: path });
  }
  for (const path of listed.keys()) if (!files.has(path)) refuse('file_missing', 'error.packageFileMissing', { file: path });

  const manifestFile = files.get(MANIFEST_FILE);
  if (!manifestFile) return refuse('manifest_missing', 'error.packageManifestMissing', { file: MANIFEST_FILE });
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(utf8Decode(manifestFile.bytes) ?? '\u0000');
  } catch {
    refuse('manifest_not_json', 'error.packageManifestNotJson', { file: MANIFEST_FILE });
  }
  const parsed = TemplateManifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    refuse('manifest_invalid', 'error.packageManifestInvalid', { field: describeField(issue.path), problem: issue.message });
  }
  const manifest = parsed.data;
  if (!semver.validRange(manifest.appVersions)) {
    refuse('manifest_invalid', 'error.packageManifestInvalid', { field: 'manifest.appVersions', problem: `"${manifest.appVersions}" is not a semver range` });
  }
  for (const path of manifestFiles(manifest)) {
    if (!files.has(path)) refuse('manifest_invalid', 'error.packageManifestInvalid', { field: 'manifest.contents', problem: `${path} is not in the package` });
  }
  if (manifest.id !== payload.templateId || manifest.version !== payload.version || manifest.publisher.id !== payload.publisherId) {
    refuse('manifest_mismatch', 'error.packageManifestMismatch', { template: manifest.id, version: manifest.version, signedTemplate: payload.templateId, signedVersion: payload.version });
  }
  if (!semver.satisfies(options.appVersion, manifest.appVersions, { includePrerelease: true })) {
    refuse('app_version', 'error.packageAppVersion', { template: manifest.id, version: manifest.version, range: manifest.appVersions, appVersion: options.appVersion });
  }

  return {
    manifest,
    signature: payload,
    files: [...files.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, file]) => ({ path, size: file.bytes.length, sha256: file.sha256, bytes: file.bytes })),
  };
}
