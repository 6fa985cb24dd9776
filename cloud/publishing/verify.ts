// Checks a signed package as an app does before installing it: the signature by a marketplace key,
// and every file of the zip listed in it with its size and SHA-256 — no file more, none less.
import {
  checkSignedDocument,
  PACKAGE_SIGNATURE_FILE,
  PackageSignaturePayloadSchema,
  utf8Decode,
  type PackageSignaturePayload,
  type SignatureChecker,
} from '../../shared/cloud/index.ts';
import { sha256Hex } from '../crypto/keys.ts';
import { PackageProblem, readPackageZip } from './zip.ts';

export type PackageVerdict =
  | { status: 'valid'; payload: PackageSignaturePayload; files: Map<string, Buffer> }
  | { status: 'invalid'; reason: string };

export async function verifyPackageZip(zip: Buffer, checker: SignatureChecker): Promise<PackageVerdict> {
  let files: Map<string, Buffer>;
  try {
    files = await readPackageZip(zip);
  } catch (error) {
    if (error instanceof PackageProblem) return { status: 'invalid', reason: error.message };
    throw error;
  }
  const line = files.get(PACKAGE_SIGNATURE_FILE);
  if (!line) return { status: 'invalid', reason: `no ${PACKAGE_SIGNATURE_FILE}` };
  const check = checkSignedDocument(utf8Decode(line) ?? '', 'package', PackageSignaturePayloadSchema, checker);
  if (check.status !== 'valid') return { status: 'invalid', reason: `${check.status}: ${check.reason}` };
  const listed = new Map(check.payload.files.map((file) => [file.path, file]));
  for (const [path, bytes] of files) {
    if (path === PACKAGE_SIGNATURE_FILE) continue;
    const entry = listed.get(path);
    if (!entry) return { status: 'invalid', reason: `${path} is not listed in the signature` };
    if (entry.size !== bytes.length || entry.sha256 !== sha256Hex(bytes)) return { status: 'invalid', reason: `${path} differs from its signed hash` };
    listed.delete(path);
  }
  if (listed.size > 0) return { status: 'invalid', reason: `${[...listed.keys()][0]} is listed but missing` };
  files.delete(PACKAGE_SIGNATURE_FILE);
  return { status: 'valid', payload: check.payload, files };
}
