// Publishing: a publisher uploads a template package; the platform checks the manifest and every
// file, signs the list of files with the marketplace key (Ed25519, `package.sig`) and stores the
// signed zip. A version once published never changes: the same id and version again is refused.
import semver from 'semver';
import {
  CONTENT_KINDS,
  MANIFEST_FILE,
  manifestFiles,
  PACKAGE_LIMITS,
  PACKAGE_SIGNATURE_FILE,
  TemplateManifestSchema,
  utf8Decode,
  type PackageSignaturePayload,
  type TemplateManifest,
} from '../../shared/cloud/index.ts';
import { sha256Hex, type Keyring } from '../crypto/keys.ts';
import { isUniqueViolation, type Database } from '../db/database.ts';
import { CloudError, describeIssues } from '../http.ts';
import { PackageProblem, readPackageZip, writePackageZip } from './zip.ts';

/** Files a package may carry besides what its manifest names. */
const FREE_FILES = new Set(['README.md', 'CHANGELOG.md', 'LICENSE', 'LICENSE.txt', 'LICENSE.md']);
/** Declarative content only: no scripts, no binaries. */
const ALLOWED_EXTENSIONS = /\.(json|csv|md|txt|png|jpe?g)$/i;

const isPng = (bytes: Buffer) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
const isJpeg = (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

export interface CheckedPackage {
  manifest: TemplateManifest;
  files: Map<string, Buffer>;
}

/** Checks an uploaded package for the publisher `publisherId`; throws `invalid_input` listing what is wrong. */
export async function checkPackage(zip: Buffer, publisherId: string): Promise<CheckedPackage> {
  let files: Map<string, Buffer>;
  try {
    files = await readPackageZip(zip);
  } catch (error) {
    if (error instanceof PackageProblem) throw new CloudError('invalid_input', error.message, { details: { problems: [error.message] } });
    throw error;
  }
  const refuse = (problems: string[]): never => {
    throw new CloudError('invalid_input', `The package was refused: ${problems.slice(0, 3).join(' ')}`, { details: { problems } });
  };
  if (files.has(PACKAGE_SIGNATURE_FILE)) refuse([`The package already holds ${PACKAGE_SIGNATURE_FILE}: upload it unsigned; the marketplace signs it.`]);
  const manifestBytes = files.get(MANIFEST_FILE);
  if (!manifestBytes) return refuse([`The package has no ${MANIFEST_FILE} at its root.`]);
  if (manifestBytes.length > PACKAGE_LIMITS.maxManifestBytes) refuse([`${MANIFEST_FILE} is larger than ${PACKAGE_LIMITS.maxManifestBytes} bytes.`]);
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(utf8Decode(manifestBytes) ?? '\u0000');
  } catch {
    refuse([`${MANIFEST_FILE} is not valid JSON in UTF-8.`]);
  }
  const parsed = TemplateManifestSchema.safeParse(manifestJson);
  if (!parsed.success) return refuse(describeIssues('manifest', parsed.error.issues).map((issue) => `${issue.path}: ${issue.message}.`));
  const manifest = parsed.data;

  const problems: string[] = [];
  const [idPublisher] = manifest.id.split('.');
  if (idPublisher !== publisherId || manifest.publisher.id !== publisherId) {
    problems.push(`The template id ${manifest.id} and manifest.publisher.id must begin with / be your publisher id "${publisherId}".`);
  }
  if (!semver.validRange(manifest.appVersions)) problems.push(`manifest.appVersions "${manifest.appVersions}" is not a semver range (e.g. ">=0.1.0 <2.0.0").`);
  const named = new Set(manifestFiles(manifest));
  for (const path of named) if (!files.has(path)) problems.push(`${path} is named in the manifest but not in the package.`);
  for (const [path, bytes] of files) {
    if (path === MANIFEST_FILE) continue;
    if (!named.has(path) && !FREE_FILES.has(path)) problems.push(`${path} is not named in the manifest: remove it or list it.`);
    if (!ALLOWED_EXTENSIONS.test(path)) problems.push(`${path}: only declarative content (.json, .csv, .md, .txt, .png, .jpg) is allowed.`);
    else if (/\.json$/i.test(path)) {
      try {
        JSON.parse(utf8Decode(bytes) ?? '\u0000');
      } catch {
        problems.push(`${path} is not valid JSON in UTF-8.`);
      }
    } else if (/\.png$/i.test(path) && !isPng(bytes)) problems.push(`${path} is not a PNG image.`);
    else if (/\.jpe?g$/i.test(path) && !isJpeg(bytes)) problems.push(`${path} is not a JPEG image.`);
    else if (/\.(csv|md|txt)$/i.test(path) && utf8Decode(bytes) === undefined) problems.push(`${path} is not text in UTF-8.`);
  }
  for (const kind of CONTENT_KINDS) for (const path of manifest.contents[kind] ?? []) if (!/\.(json|csv)$/i.test(path)) problems.push(`${path} (${kind}) must be a .json or .csv file.`);
  if (problems.length > 0) refuse(problems);
  return { manifest, files };
}

/** The signed zip: the files as uploaded plus `package.sig` listing each with its size and SHA-256. */
export async function signPackage(
  keys: Keyring,
  checked: CheckedPackage,
  meta: { organisationId: string; signedAt: number },
): Promise<{ zip: Buffer; signature: string; payload: PackageSignaturePayload }> {
  const payload: PackageSignaturePayload = {
    v: 1,
    keyId: keys.current.keyId,
    templateId: checked.manifest.id,
    version: checked.manifest.version,
    publisherId: checked.manifest.publisher.id,
    organisationId: meta.organisationId,
    signedAt: meta.signedAt,
    files: [...checked.files.keys()].sort().map((path) => ({ path, size: checked.files.get(path)!.length, sha256: sha256Hex(checked.files.get(path)!) })),
  };
  const signature = keys.sign('package', payload as unknown as Record<string, unknown>);
  const signed = new Map(checked.files);
  signed.set(PACKAGE_SIGNATURE_FILE, Buffer.from(`${signature}\n`, 'utf8'));
  return { zip: await writePackageZip(signed), signature, payload };
}

export interface PublishedVersion {
  templateId: string;
  version: string;
  sha256: string;
  size: number;
  publishedAt: number;
  signature: string;
}

/** Checks, signs and stores a package for an organisation with a publisher id. */
export async function publishPackage(
  db: Database,
  keys: Keyring,
  organisation: { id: string; publisher_id: string | null },
  zip: Buffer,
  now: number,
): Promise<PublishedVersion> {
  if (!organisation.publisher_id) throw new CloudError('forbidden', 'This organisation is not a publisher: the operator gives it a publisher id first.');
  const checked = await checkPackage(zip, organisation.publisher_id);
  const { manifest } = checked;
  const signed = await signPackage(keys, checked, { organisationId: organisation.id, signedAt: now });
  const sha256 = sha256Hex(signed.zip);
  const search = [manifest.id, manifest.name.en, manifest.name['zh-CN'], manifest.summary.en, manifest.summary['zh-CN'], manifest.description.en, manifest.description['zh-CN'], ...manifest.categories]
    .join('\n')
    .toLowerCase();
  try {
    await db.transaction(async (tx) => {
      const [template] = await tx.query<{ organisation_id: string }>('SELECT organisation_id FROM templates WHERE id = $1 FOR UPDATE', [manifest.id]);
      if (template && template.organisation_id !== organisation.id) throw new CloudError('forbidden', `The template ${manifest.id} belongs to another organisation.`);
      if (!template) {
        await tx.query('INSERT INTO templates (id, organisation_id, publisher_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)', [manifest.id, organisation.id, organisation.publisher_id, now]);
      }
      await tx.query(
        `INSERT INTO template_versions (template_id, version, manifest, signature, package, sha256, size, search, published_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9)`,
        [manifest.id, manifest.version, JSON.stringify(manifest), signed.signature, signed.zip, sha256, signed.zip.length, search, now],
      );
      await tx.query('UPDATE templates SET updated_at = $2 WHERE id = $1', [manifest.id, now]);
      await tx.query('UPDATE catalogue_state SET revision = revision + 1 WHERE id = 1');
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const [held] = await db.query<{ sha256: string }>('SELECT sha256 FROM template_versions WHERE template_id = $1 AND version = $2', [manifest.id, manifest.version]);
      throw new CloudError('conflict', `${manifest.id} ${manifest.version} is published already, and a published version never changes. Publish a new version number.`, {
        details: { templateId: manifest.id, version: manifest.version, sha256: held?.sha256 },
      });
    }
    throw error;
  }
  return { templateId: manifest.id, version: manifest.version, sha256, size: signed.zip.length, publishedAt: now, signature: signed.signature };
}
