// Builds the templates shipped with PlantDesk (templates/<folder>) into packages: for each folder an
// unsigned zip, the form a publisher uploads to the marketplace (scripts/publish-templates.ts), and
// a signed zip, signed with the DEVELOPMENT marketplace key in templates/dev-marketplace-key.json so
// the demo catalogue and offline installs work in development and tests (core/templates/pinned-keys.ts
// trusts that key). Production packages are signed by the real marketplace key when published.
// The zips are deterministic: sorted entries, fixed times, the same signing time.
//   node scripts/build-templates.ts                 into dist/templates
//   node scripts/build-templates.ts --out <dir>
//   node scripts/build-templates.ts --new-dev-key   replaces the development key (then update pinned-keys.ts)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import yazl from 'yazl';
import {
  documentSigningInput,
  encodeDocumentPayload,
  formatSignedDocument,
  MANIFEST_FILE,
  PACKAGE_SIGNATURE_FILE,
  PackageSignaturePayloadSchema,
  PricePlansSchema,
  TemplateManifestSchema,
  type PackageSignaturePayload,
  type PricePlan,
  type TemplateManifest,
} from '../shared/cloud/index.ts';
import { dashboardScreenshot } from './template-screenshot.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATES_DIR = path.join(ROOT, 'templates');
export const DEV_KEY_FILE = path.join(TEMPLATES_DIR, 'dev-marketplace-key.json');
/** Kept in the source folder for the cloud's price plans; never part of the package. */
export const PLANS_FILE = 'plans.json';
/** The organisation and time the development signature names, fixed so the signed zips are repeatable. */
export const DEV_SIGNATURE = { organisationId: 'org_plantdeskdevelopment', signedAt: Date.UTC(2026, 0, 1) } as const;

export interface DevelopmentKey {
  keyId: string;
  /** The 32 raw bytes of the Ed25519 public key, base64url. */
  publicKey: string;
  privateKey: crypto.KeyObject;
}

interface DevelopmentKeyFile {
  warning: string;
  keyId: string;
  publicKey: string;
  privateKeyPem: string;
}

const keyIdOf = (rawPublicKey: string) => crypto.createHash('sha256').update(Buffer.from(rawPublicKey, 'base64url')).digest('hex').slice(0, 16);
const sha256Hex = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** Writes a new development key file (only when asked: the app pins the key in core/templates/pinned-keys.ts). */
export function generateDevelopmentKey(file = DEV_KEY_FILE): DevelopmentKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'jwk' }).x!;
  const content: DevelopmentKeyFile = {
    warning: 'DEVELOPMENT ONLY. This Ed25519 key signs the demo catalogue and the packages built for tests; it is public and must never sign a production package. Production packages are signed by the marketplace key when published.',
    keyId: keyIdOf(raw),
    publicKey: raw,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  return { keyId: content.keyId, publicKey: raw, privateKey };
}

export function readDevelopmentKey(file = DEV_KEY_FILE): DevelopmentKey {
  const content = JSON.parse(fs.readFileSync(file, 'utf8')) as DevelopmentKeyFile;
  const privateKey = crypto.createPrivateKey(content.privateKeyPem);
  const raw = crypto.createPublicKey(privateKey).export({ format: 'jwk' }).x!;
  if (raw !== content.publicKey || keyIdOf(raw) !== content.keyId) throw new Error(`${file}: the public key or key id does not match the private key`);
  return { keyId: content.keyId, publicKey: raw, privateKey };
}

/** The template folders: every folder of templates/ with a manifest.json, sorted. */
export function templateFolders(root = TEMPLATES_DIR): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, entry.name, MANIFEST_FILE)))
    .map((entry) => path.join(root, entry.name))
    .sort();
}

function filesUnder(folder: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(folder, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(folder, relative) : [relative];
  });
}

export interface TemplateSource {
  folder: string;
  manifest: TemplateManifest;
  /** The package's files by path (the screenshots drawn from the dashboards when not in the folder). */
  files: Map<string, Buffer>;
  plans: PricePlan[];
}

/** A template folder as package files: everything but plans.json, plus the screenshots it names. */
export function readTemplateSource(folder: string): TemplateSource {
  const files = new Map<string, Buffer>();
  for (const file of filesUnder(folder).sort()) if (file !== PLANS_FILE) files.set(file, fs.readFileSync(path.join(folder, file)));
  const manifestJson = JSON.parse(files.get(MANIFEST_FILE)!.toString('utf8')) as unknown;
  const parsed = TemplateManifestSchema.safeParse(manifestJson);
  if (!parsed.success) throw new Error(`${folder}/${MANIFEST_FILE}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  const manifest = parsed.data;
  const dashboard = manifest.contents.dashboards?.[0];
  for (const shot of manifest.screenshots) {
    if (files.has(shot.path)) continue;
    if (!dashboard || !files.has(dashboard)) throw new Error(`${folder}: ${shot.path} is not in the folder and there is no dashboard to draw it from`);
    files.set(shot.path, dashboardScreenshot(JSON.parse(files.get(dashboard)!.toString('utf8')) as { widgets?: unknown }));
  }
  const plansFile = path.join(folder, PLANS_FILE);
  const plans = fs.existsSync(plansFile) ? PricePlansSchema.parse(JSON.parse(fs.readFileSync(plansFile, 'utf8'))) : [];
  return { folder, manifest, files, plans };
}

/** A zip of these files in path order with fixed times (as the marketplace writes packages). */
export function zipFiles(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2020, 0, 1));
  for (const file of [...files.keys()].sort()) zip.addBuffer(files.get(file)!, file, { mtime, mode: 0o100644, compress: !/\.(png|jpe?g)$/i.test(file) });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (data: Buffer) => chunks.push(data));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** `package.sig` for these files: the signed document line the marketplace writes (shared/cloud/signed-document.ts). */
export function packageSignature(manifest: TemplateManifest, files: ReadonlyMap<string, Buffer>, key: DevelopmentKey, meta = DEV_SIGNATURE): string {
  const payload: PackageSignaturePayload = PackageSignaturePayloadSchema.parse({
    v: 1,
    keyId: key.keyId,
    templateId: manifest.id,
    version: manifest.version,
    publisherId: manifest.publisher.id,
    organisationId: meta.organisationId,
    signedAt: meta.signedAt,
    files: [...files.keys()].filter((file) => file !== PACKAGE_SIGNATURE_FILE).sort().map((file) => ({ path: file, size: files.get(file)!.length, sha256: sha256Hex(files.get(file)!) })),
  });
  const encoded = encodeDocumentPayload(payload);
  const signature = crypto.sign(null, documentSigningInput('package', encoded), key.privateKey);
  return formatSignedDocument('package', encoded, signature);
}

export interface BuiltTemplate {
  id: string;
  version: string;
  folder: string;
  /** For the marketplace upload. */
  unsignedZip: string;
  /** Signed with the development key, for the demo catalogue and offline installs. */
  signedZip: string;
  plans: PricePlan[];
}

/** Builds every template folder into `outDir`: `<id>-<version>.zip` and `<id>-<version>.signed.zip`. */
export async function buildTemplates(options: { outDir: string; root?: string; key?: DevelopmentKey }): Promise<BuiltTemplate[]> {
  const key = options.key ?? readDevelopmentKey();
  fs.mkdirSync(options.outDir, { recursive: true });
  const built: BuiltTemplate[] = [];
  for (const folder of templateFolders(options.root)) {
    const source = readTemplateSource(folder);
    const { manifest, files } = source;
    const base = path.join(options.outDir, `${manifest.id}-${manifest.version}`);
    fs.writeFileSync(`${base}.zip`, await zipFiles(files));
    const signed = new Map(files);
    signed.set(PACKAGE_SIGNATURE_FILE, Buffer.from(`${packageSignature(manifest, files, key)}\n`, 'utf8'));
    fs.writeFileSync(`${base}.signed.zip`, await zipFiles(signed));
    built.push({ id: manifest.id, version: manifest.version, folder, unsignedZip: `${base}.zip`, signedZip: `${base}.signed.zip`, plans: source.plans });
  }
  return built;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.includes('--new-dev-key')) {
    const key = generateDevelopmentKey();
    console.log(`New development key ${key.keyId} (public ${key.publicKey}) in ${DEV_KEY_FILE}; put both in core/templates/pinned-keys.ts.`);
  }
  const outIndex = args.indexOf('--out');
  const outDir = path.resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1]! : path.join(ROOT, 'dist', 'templates'));
  const built = await buildTemplates({ outDir });
  for (const template of built) console.log(`${template.id} ${template.version}: ${path.relative(ROOT, template.unsignedZip)}, ${path.relative(ROOT, template.signedZip)}`);
}
