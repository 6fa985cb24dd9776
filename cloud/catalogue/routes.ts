// The public catalogue: listing with search and filters, one template, its packages and
// screenshots. The listing's ETag is the catalogue revision (bumped with every publish and price
// change) and the query, so an app refreshing an unchanged catalogue gets 304 after one tiny query.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import semver from 'semver';
import { z } from 'zod';
import {
  canonicalJson,
  CatalogueQuerySchema,
  SemverSchema,
  TemplateIdSchema,
  type CatalogueEntry,
  type CatalogueListing,
  type CatalogueVersion,
  type ControlListPayload,
  VERSION_STATUSES,
  type PricePlan,
  type TemplateManifest,
} from '../../shared/cloud/index.ts';
import { sha256Hex } from '../crypto/keys.ts';
import { authenticateOperator } from '../auth/auth.ts';
import { CloudError, parseInput } from '../http.ts';
import type { CloudContext } from '../context.ts';
import type { Queryable } from '../db/database.ts';
import { readPackageZip } from '../publishing/zip.ts';

interface VersionRow {
  template_id: string;
  version: string;
  manifest: TemplateManifest;
  sha256: string;
  size: number;
  published_at: number;
  search: string;
  plans: PricePlan[];
}

const base = (id: string, version: string) => `/v1/catalogue/templates/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`;

function versionView(row: VersionRow): CatalogueVersion {
  return {
    version: row.version,
    appVersions: row.manifest.appVersions,
    publishedAt: row.published_at,
    sha256: row.sha256,
    size: row.size,
    packageUrl: `${base(row.template_id, row.version)}/package`,
  };
}

/** One entry from a template's versions (newest first); `latest` is the newest of `versions`. */
function entryView(rows: VersionRow[]): CatalogueEntry {
  const latest = rows[0]!;
  const manifest = latest.manifest;
  return {
    id: latest.template_id,
    publisher: manifest.publisher,
    name: manifest.name,
    summary: manifest.summary,
    description: manifest.description,
    categories: manifest.categories,
    latest: versionView(latest),
    versions: rows.map(versionView),
    screenshots: manifest.screenshots.map((shot, index) => ({ url: `${base(latest.template_id, latest.version)}/screenshots/${index}`, caption: shot.caption })),
    plans: latest.plans,
  };
}

async function loadVersions(db: Queryable, templateId?: string): Promise<Map<string, VersionRow[]>> {
  const rows = await db.query<VersionRow>(
    `SELECT v.template_id, v.version, v.manifest, v.sha256, v.size, v.published_at, v.search, t.plans
     FROM template_versions v JOIN templates t ON t.id = v.template_id
     WHERE v.status <> 'revoked' ${templateId ? 'AND v.template_id = $1' : ''}`,
    templateId ? [templateId] : [],
  );
  const byTemplate = new Map<string, VersionRow[]>();
  for (const row of rows) byTemplate.set(row.template_id, [...(byTemplate.get(row.template_id) ?? []), row]);
  for (const versions of byTemplate.values()) versions.sort((a, b) => semver.rcompare(a.version, b.version));
  return byTemplate;
}

function etagMatches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === etag || tag === '*';
  });
}

function sendCached(request: FastifyRequest, reply: FastifyReply, etag: string, produce: () => Promise<unknown>): Promise<unknown> | FastifyReply {
  reply.header('ETag', etag).header('Cache-Control', 'no-cache').header('Vary', 'Accept-Encoding');
  if (etagMatches(request, etag)) return reply.status(304).send();
  return produce();
}

export function registerCatalogueRoutes(app: FastifyInstance, context: CloudContext): void {
  const { db } = context;
  const revision = async () => (await db.query<{ revision: number }>('SELECT revision FROM catalogue_state WHERE id = 1'))[0]!.revision;

  app.get('/v1/catalogue/templates', async (request, reply) => {
    const query = parseInput(CatalogueQuerySchema, request.query, 'query');
    const current = await revision();
    const etag = `"c${current}-${sha256Hex(canonicalJson(query)).slice(0, 16)}"`;
    return sendCached(request, reply, etag, async () => {
      const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const entries: CatalogueEntry[] = [];
      for (const versions of (await loadVersions(db)).values()) {
        // With an app version, only the versions that work with it count (the newest of them is `latest`).
        const usable = query.appVersion ? versions.filter((row) => semver.satisfies(query.appVersion!, row.manifest.appVersions, { includePrerelease: true })) : versions;
        if (usable.length === 0) continue;
        const latest = usable[0]!;
        if (words.some((word) => !latest.search.includes(word))) continue;
        if (query.category && !latest.manifest.categories.includes(query.category)) continue;
        if (query.publisher && latest.manifest.publisher.id !== query.publisher) continue;
        if (query.plan && !latest.plans.some((plan) => plan.kind === query.plan)) continue;
        entries.push(entryView(usable));
      }
      entries.sort((a, b) => b.latest.publishedAt - a.latest.publishedAt || a.id.localeCompare(b.id));
      const listing: CatalogueListing = { templates: entries.slice(query.offset, query.offset + query.limit), total: entries.length, revision: current };
      return listing;
    });
  });

  app.get('/v1/catalogue/templates/:id', async (request, reply) => {
    const { id } = parseInput(z.strictObject({ id: TemplateIdSchema }), request.params, 'params');
    const etag = `"c${await revision()}-${sha256Hex(id).slice(0, 16)}"`;
    return sendCached(request, reply, etag, async () => {
      const versions = (await loadVersions(db, id)).get(id);
      if (!versions) throw new CloudError('not_found', `There is no template ${id} in the catalogue.`);
      return entryView(versions);
    });
  });

  const VersionParams = z.strictObject({ id: TemplateIdSchema, version: SemverSchema });

  app.get('/v1/catalogue/control-list', async (request, reply) => {
    const current = await revision();
    return sendCached(request, reply, `"l${current}"`, async () => {
      const rows = await db.query<{ template_id: string; version: string; status: 'deprecated' | 'revoked'; status_reason: string | null; status_changed_at: number }>(
        "SELECT template_id, version, status, status_reason, status_changed_at FROM template_versions WHERE status <> 'published' ORDER BY template_id, version",
      );
      const payload: Omit<ControlListPayload, 'keyId'> = {
        v: 1,
        issuedAt: context.now(),
        revision: current,
        entries: rows.map((row) => ({ templateId: row.template_id, version: row.version, status: row.status, reason: row.status_reason ?? '', at: row.status_changed_at })),
      };
      return { controlList: context.keys.sign('control-list', payload) };
    });
  });

  // The operator (or the template's publisher, through the operator) revokes or deprecates a version.
  app.post('/v1/operator/templates/:id/versions/:version/status', async (request) => {
    authenticateOperator(context, request);
    const { id, version } = parseInput(VersionParams, request.params, 'params');
    const input = parseInput(z.strictObject({ status: z.enum(VERSION_STATUSES), reason: z.string().trim().max(500).default('') }), request.body, 'body');
    const changed = await db.transaction(async (tx) => {
      const rows = await tx.query('UPDATE template_versions SET status = $3, status_reason = $4, status_changed_at = $5 WHERE template_id = $1 AND version = $2 RETURNING version', [
        id,
        version,
        input.status,
        input.reason,
        context.now(),
      ]);
      if (rows.length > 0) await tx.query('UPDATE catalogue_state SET revision = revision + 1 WHERE id = 1');
      return rows.length > 0;
    });
    if (!changed) throw new CloudError('not_found', `There is no version ${version} of ${id}.`);
    request.log.info({ templateId: id, version, status: input.status }, 'template version status changed');
    return { templateId: id, version, status: input.status, reason: input.reason };
  });

  async function packageOf(id: string, version: string) {
    const [row] = await db.query<{ package: Uint8Array; sha256: string; manifest: TemplateManifest }>(
      'SELECT package, sha256, manifest FROM template_versions WHERE template_id = $1 AND version = $2',
      [id, version],
    );
    if (!row) throw new CloudError('not_found', `There is no version ${version} of ${id}.`);
    return row;
  }

  // A published version never changes, so its package and screenshots may be cached for good.
  app.get('/v1/catalogue/templates/:id/versions/:version/package', async (request, reply) => {
    const { id, version } = parseInput(VersionParams, request.params, 'params');
    const etag = `"${(await db.query<{ sha256: string }>('SELECT sha256 FROM template_versions WHERE template_id = $1 AND version = $2', [id, version]))[0]?.sha256 ?? 'none'}"`;
    if (etagMatches(request, etag)) return reply.header('ETag', etag).status(304).send();
    const row = await packageOf(id, version);
    return reply
      .header('Content-Type', 'application/zip')
      .header('Content-Disposition', `attachment; filename="${id}-${version}.zip"`)
      .header('ETag', etag)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .send(Buffer.from(row.package));
  });

  app.get('/v1/catalogue/templates/:id/versions/:version/screenshots/:index', async (request, reply) => {
    const params = parseInput(VersionParams.extend({ index: z.coerce.number().int().min(0).max(7) }), request.params, 'params');
    const row = await packageOf(params.id, params.version);
    const shot = row.manifest.screenshots[params.index];
    if (!shot) throw new CloudError('not_found', `${params.id} ${params.version} has no screenshot ${params.index}.`);
    const files = await readPackageZip(Buffer.from(row.package));
    return reply
      .header('Content-Type', /\.png$/i.test(shot.path) ? 'image/png' : 'image/jpeg')
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .send(files.get(shot.path));
  });
}
