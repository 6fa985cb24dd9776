// Template packages: a zip with `manifest.json`, declarative content, and `package.sig` — one signed
// document line (kind `package`) listing every other file with its size and SHA-256, signed by the
// marketplace key when the package is published. An app refuses files not listed, symlinks, paths
// that leave the package and anything over the limits below, before writing anything.
import { z } from 'zod';
import { CloudIdSchema, EpochMsSchema, KeyIdSchema, localisedText, SemverSchema, Sha256HexSchema, SlugSchema } from './common.ts';

export const MANIFEST_FILE = 'manifest.json';
export const PACKAGE_SIGNATURE_FILE = 'package.sig';

export const PACKAGE_LIMITS = {
  /** The zip as uploaded or downloaded. */
  maxPackageBytes: 16 * 1024 * 1024,
  maxFiles: 500,
  maxFileBytes: 8 * 1024 * 1024,
  maxTotalBytes: 32 * 1024 * 1024,
  maxPathLength: 200,
  maxManifestBytes: 256 * 1024,
} as const;

/** `publisher.name`, e.g. `acme.cnc-oee`. */
export const TemplateIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}\.[a-z0-9][a-z0-9-]{1,63}$/, 'an id such as acme.cnc-oee');

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * Whether a path inside a package is one an app may write: relative, forward slashes, no `.` or `..`
 * segments, no characters Windows refuses, no reserved device names.
 */
export function isSafePackagePath(path: string): boolean {
  if (path.length === 0 || path.length > PACKAGE_LIMITS.maxPathLength) return false;
  if (path.startsWith('/') || path.endsWith('/')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\\:*?"<>|\u0000-\u001f]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !/[. ]$/.test(segment) && !WINDOWS_RESERVED.test(segment));
}

export const PackagePathSchema = z.string().refine(isSafePackagePath, 'a relative path inside the package (no "..", no "\\", no drive letters)');

/** An id inside a package's content (a point, a device), before the instance prefix is added. */
export const LocalIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a content id such as energy-import');

export const CONTENT_KINDS = ['deviceProfiles', 'tags', 'kpis', 'dashboards', 'alarmRules', 'agents', 'reports', 'translations'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export const TemplateManifestSchema = z.strictObject({
  manifestVersion: z.literal(1),
  id: TemplateIdSchema,
  version: SemverSchema,
  name: localisedText(80),
  summary: localisedText(200),
  description: localisedText(4000),
  publisher: z.strictObject({ id: SlugSchema, name: z.string().trim().min(1).max(100) }),
  categories: z.array(SlugSchema).max(8).default([]),
  /** The PlantDesk versions it works with: a semver range such as `>=0.1.0 <2.0.0`. */
  appVersions: z.string().trim().min(1).max(100),
  drivers: z.array(z.enum(['modbus-tcp', 'modbus-rtu', 'modbus-rtu-over-tcp'])).default([]),
  /** What it asks for; writing to devices is shown and confirmed at install. */
  permissions: z.array(z.enum(['write-devices', 'notifications', 'export-data'])).default([]),
  licence: z.strictObject({
    features: z.array(SlugSchema).max(32).default([]),
    meters: z.array(z.strictObject({ id: SlugSchema, unit: z.string().min(1).max(16), description: localisedText(200) })).max(8).default([]),
    outcome: z
      .strictObject({
        metric: SlugSchema,
        unit: z.string().min(1).max(16),
        baselineMethod: SlugSchema,
        description: localisedText(400),
        /** The package's own point id (as in its content, before the instance prefix) the outcome is computed from. */
        point: LocalIdSchema.optional(),
        /** The baseline: the first days after the template is installed; 14 when not given. */
        baselineDays: z.int().min(1).max(365).optional(),
      })
      .optional(),
  }),
  parameters: z
    .array(
      z.strictObject({
        id: SlugSchema,
        label: localisedText(100),
        type: z.enum(['string', 'number', 'integer', 'boolean', 'device', 'point']),
        required: z.boolean().default(false),
        default: z.union([z.string().max(200), z.number(), z.boolean()]).optional(),
        /** The values the user picks from (the install form shows a list); any value when absent. */
        choices: z
          .array(z.strictObject({ value: z.union([z.string().max(200), z.number(), z.boolean()]), label: localisedText(100) }))
          .min(1)
          .max(32)
          .optional(),
      }),
    )
    .max(32)
    .default([]),
  contents: z.partialRecord(z.enum(CONTENT_KINDS), z.array(PackagePathSchema).max(100)).default({}),
  screenshots: z
    .array(z.strictObject({ path: PackagePathSchema.refine((p) => /\.(png|jpe?g)$/i.test(p), 'a .png or .jpg file'), caption: localisedText(200) }))
    .max(8)
    .default([]),
  /** Data migrations from earlier versions of this template. */
  migrations: z.array(z.strictObject({ from: SemverSchema, path: PackagePathSchema })).max(32).default([]),
});
export type TemplateManifest = z.infer<typeof TemplateManifestSchema>;

/** Every file a manifest names, once each. */
export function manifestFiles(manifest: TemplateManifest): string[] {
  const files = new Set<string>();
  for (const kind of CONTENT_KINDS) for (const file of manifest.contents[kind] ?? []) files.add(file);
  for (const shot of manifest.screenshots) files.add(shot.path);
  for (const migration of manifest.migrations) files.add(migration.path);
  return [...files];
}

export const PackageFileSchema = z.strictObject({ path: PackagePathSchema, size: z.int().min(0), sha256: Sha256HexSchema });
export type PackageFile = z.infer<typeof PackageFileSchema>;

/** The payload of `package.sig`. */
export const PackageSignaturePayloadSchema = z.strictObject({
  v: z.literal(1),
  keyId: KeyIdSchema,
  templateId: TemplateIdSchema,
  version: SemverSchema,
  publisherId: SlugSchema,
  organisationId: CloudIdSchema,
  signedAt: EpochMsSchema,
  /** Every file of the package except `package.sig`, sorted by path. */
  files: z.array(PackageFileSchema).max(PACKAGE_LIMITS.maxFiles),
});
export type PackageSignaturePayload = z.infer<typeof PackageSignaturePayloadSchema>;
