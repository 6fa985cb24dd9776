// The marketplace catalogue kept in SQLite so browsing and search work offline: the listing as the
// cloud last sent it (for this PlantDesk version), with its ETag — a refresh of an unchanged
// catalogue costs one 304 — and when it was read; screenshots are cached as they are viewed.
import semver from 'semver';
import { z } from 'zod';
import { CatalogueEntrySchema, CatalogueListingSchema, type CatalogueEntry } from '../../shared/cloud/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { CloudTransport } from '../cloud/transport.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { askCloud, cloudFailure, writeCache } from './cloud-answer.ts';

/** A cache older than this is read again from the cloud when the catalogue is opened. */
export const CATALOGUE_STALE_MS = 6 * 3_600_000;
const PAGE = 200;
const MAX_PAGES = 50;

/** Why the cloud was not read, for the `problem` sentence. */
export interface CatalogueProblem {
  /** The network's or the cloud's own words (data); or, with `key`, a sentence part in the user's language. */
  problem: string;
  key?: 'market.problem.notActivated' | 'market.problem.unreadable';
}

export interface CatalogueRefresh {
  source: 'cloud' | 'cache';
  /** Null when the cloud answered. */
  problem: CatalogueProblem | null;
}

const StoredTemplatesSchema = z.array(CatalogueEntrySchema);

/** The words of an entry a search looks in, both languages, lower case. */
function searchText(entry: CatalogueEntry): string {
  const texts = [entry.id, entry.publisher.name, entry.publisher.id, ...entry.categories, entry.name, entry.summary, entry.description].flatMap((text) =>
    typeof text === 'string' ? [text] : [text.en, text['zh-CN']],
  );
  return texts.join('\n').toLowerCase();
}

/**
 * Entries whose texts contain every word of `q` (either language) and that are in `category`.
 * @example filterCatalogue(entries, { q: '机床 oee' })
 */
export function filterCatalogue(entries: readonly CatalogueEntry[], filter: { q?: string | undefined; category?: string | undefined }): CatalogueEntry[] {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((entry) => {
    if (filter.category && !entry.categories.includes(filter.category)) return false;
    if (words.length === 0) return true;
    const text = searchText(entry);
    return words.every((word) => text.includes(word));
  });
}

/** The newest version of an entry that works with this PlantDesk, or null. */
export function compatibleVersion(entry: CatalogueEntry, appVersion: string): string | null {
  const usable = entry.versions.filter((version) => semver.valid(version.version) && semver.validRange(version.appVersions) && semver.satisfies(appVersion, version.appVersions, { includePrerelease: true }));
  usable.sort((a, b) => semver.rcompare(a.version, b.version));
  return usable[0]?.version ?? null;
}

export interface CatalogueCacheOptions {
  db: Db;
  logger: Logger;
  transport: CloudTransport;
  appVersion: string;
  now: () => number;
}

export class CatalogueCache {
  readonly #options: CatalogueCacheOptions;
  readonly #sql;
  /** The last listing parsed, by its stored text: reading it again is cheap. */
  #parsed: { text: string; templates: CatalogueEntry[] } | undefined;

  constructor(options: CatalogueCacheOptions) {
    this.#options = options;
    const { db } = options;
    this.#sql = {
      read: db.prepare<[], { templates: string; etag: string | null; app_version: string; refreshed_at: number }>('SELECT templates, etag, app_version, refreshed_at FROM market_catalogue WHERE id = 1'),
      write: db.prepare(`INSERT INTO market_catalogue (id, templates, etag, app_version, refreshed_at) VALUES (1, @templates, @etag, @appVersion, @refreshedAt)
        ON CONFLICT(id) DO UPDATE SET templates = excluded.templates, etag = excluded.etag, app_version = excluded.app_version, refreshed_at = excluded.refreshed_at`),
      touch: db.prepare<[number]>('UPDATE market_catalogue SET refreshed_at = ? WHERE id = 1'),
      screenshot: db.prepare<[string, string, number], { content_type: string; bytes: Buffer }>('SELECT content_type, bytes FROM market_screenshots WHERE template_id = ? AND version = ? AND idx = ?'),
      saveScreenshot: db.prepare('INSERT OR REPLACE INTO market_screenshots (template_id, version, idx, content_type, bytes, stored_at) VALUES (?, ?, ?, ?, ?, ?)'),
    };
  }

  #stored() {
    const row = this.#sql.read.get();
    if (!row) return undefined;
    if (this.#parsed?.text !== row.templates) {
      let json: unknown;
      try {
        json = JSON.parse(row.templates);
      } catch {
        json = undefined;
      }
      const templates = StoredTemplatesSchema.safeParse(json);
      if (!templates.success) {
        this.#options.logger.warn('the cached marketplace catalogue does not fit its schema; it will be read again', { problem: templates.error.message });
        return undefined;
      }
      this.#parsed = { text: row.templates, templates: templates.data };
    }
    return { templates: this.#parsed.templates, etag: row.etag, appVersion: row.app_version, refreshedAt: row.refreshed_at };
  }

  /** The cached entries and when they were read (null: never). */
  snapshot(): { templates: CatalogueEntry[]; refreshedAt: number | null } {
    const stored = this.#stored();
    return { templates: stored?.templates ?? [], refreshedAt: stored?.refreshedAt ?? null };
  }

  entry(templateId: string): CatalogueEntry | undefined {
    return this.snapshot().templates.find((entry) => entry.id === templateId);
  }

  /** True when there is no cache, it was made for another PlantDesk version, or it is old. */
  isStale(): boolean {
    const stored = this.#stored();
    return !stored || stored.appVersion !== this.#options.appVersion || this.#options.now() - stored.refreshedAt > CATALOGUE_STALE_MS;
  }

  /** Reads the listing from the cloud (304 when unchanged); on failure keeps the cache and says why. */
  async refresh(): Promise<CatalogueRefresh> {
    const { transport, appVersion, now, logger } = this.#options;
    const stored = this.#stored();
    const etag = stored && stored.appVersion === appVersion ? stored.etag : null;
    const templates: CatalogueEntry[] = [];
    let firstEtag: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ appVersion, limit: String(PAGE), offset: String(page * PAGE) });
      const answer = await askCloud(transport, { method: 'GET', path: `/v1/catalogue/templates?${query}`, headers: page === 0 && etag ? { 'if-none-match': etag } : {} });
      if (answer.kind === 'not_activated') return { source: 'cache', problem: { problem: 'not activated', key: 'market.problem.notActivated' } };
      if (answer.kind === 'unreachable' || answer.kind === 'refused') {
        const problem = answer.kind === 'unreachable' ? answer.problem : answer.reason;
        logger.warn('the marketplace catalogue could not be read from the cloud; serving the cache', { problem });
        return { source: 'cache', problem: { problem } };
      }
      if (answer.status === 304 && page === 0 && stored) {
        writeCache(logger, 'catalogue', () => this.#sql.touch.run(now()));
        return { source: 'cloud', problem: null };
      }
      const listing = CatalogueListingSchema.safeParse(answer.body);
      if (!listing.success) {
        logger.warn('the cloud sent a catalogue this PlantDesk cannot read; serving the cache', { problem: listing.error.message });
        return { source: 'cache', problem: { problem: 'unreadable catalogue', key: 'market.problem.unreadable' } };
      }
      if (page === 0) firstEtag = answer.headers.get('etag');
      templates.push(...listing.data.templates);
      if (templates.length >= listing.data.total || listing.data.templates.length === 0) break;
    }
    writeCache(logger, 'catalogue', () => this.#sql.write.run({ templates: JSON.stringify(templates), etag: firstEtag, appVersion, refreshedAt: now() }));
    logger.info('marketplace catalogue refreshed', { templates: templates.length });
    return { source: 'cloud', problem: null };
  }

  /** One entry: from the cache, else read from the cloud and added to it. */
  async require(templateId: string): Promise<CatalogueEntry> {
    const cached = this.entry(templateId);
    if (cached) return cached;
    const answer = await askCloud(this.#options.transport, { method: 'GET', path: `/v1/catalogue/templates/${encodeURIComponent(templateId)}` });
    if (answer.kind === 'refused' && answer.status === 404) throw new AppError('not_found', 'market.templateUnknown', { params: { template: templateId } });
    if (answer.kind !== 'answer') throw cloudFailure(answer, 'market.templateRefused', { template: templateId });
    const entry = CatalogueEntrySchema.safeParse(answer.body);
    if (!entry.success) throw new AppError('unavailable', 'market.cloudUnreachable', { params: { problem: `unreadable entry for ${templateId}` } });
    const stored = this.#stored();
    writeCache(this.#options.logger, 'catalogue entry', () =>
      this.#sql.write.run({
        templates: JSON.stringify([...(stored?.templates ?? []), entry.data]),
        etag: null,
        appVersion: this.#options.appVersion,
        refreshedAt: stored?.refreshedAt ?? this.#options.now(),
      }),
    );
    return entry.data;
  }

  /** A screenshot from the cache, else read from the cloud and cached (a published version never changes). */
  async screenshot(templateId: string, version: string, index: number): Promise<{ contentType: string; bytes: Buffer }> {
    const cached = this.#sql.screenshot.get(templateId, version, index);
    if (cached) return { contentType: cached.content_type, bytes: cached.bytes };
    const path = `/v1/catalogue/templates/${encodeURIComponent(templateId)}/versions/${encodeURIComponent(version)}/screenshots/${index}`;
    const answer = await askCloud<Buffer>(this.#options.transport, { method: 'GET', path, binary: true });
    const params = { template: templateId, version, index };
    if (answer.kind === 'refused' && answer.status === 404) throw new AppError('not_found', 'market.screenshotMissing', { params });
    if (answer.kind !== 'answer') {
      if (answer.kind === 'unreachable') throw new AppError('unavailable', 'market.screenshotOffline', { params: { ...params, problem: answer.problem } });
      throw cloudFailure(answer, 'market.screenshotRefused', params);
    }
    const bytes = Buffer.isBuffer(answer.body) ? answer.body : Buffer.alloc(0);
    const contentType = answer.headers.get('content-type')?.split(';')[0]?.trim() || 'image/png';
    if (!/^image\/(png|jpeg)$/.test(contentType) || bytes.length === 0) throw new AppError('not_found', 'market.screenshotMissing', { params });
    writeCache(this.#options.logger, 'screenshot', () => this.#sql.saveScreenshot.run(templateId, version, index, contentType, bytes, this.#options.now()));
    return { contentType, bytes };
  }
}
