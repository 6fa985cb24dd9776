// Where a package's bytes come from: the marketplace (downloaded once, checked against the
// catalogue's SHA-256, and kept in a bounded cache by SHA-256 so a re-install or an offline
// install of the same version needs no download), or a file the user chose. Either way the bytes
// are then verified exactly the same way (verifyPackage) before anything is installed.
import crypto from 'node:crypto';
import type { PackageSource } from '../../shared/contract/market-calls.ts';
import { AppError } from '../../shared/errors.ts';
import type { CloudTransport } from '../cloud/transport.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { askCloud, cloudFailure, writeCache } from './cloud-answer.ts';
import { compatibleVersion, type CatalogueCache } from './catalogue-cache.ts';

/** Most bytes of downloaded packages kept; the least recently used go first. */
export const PACKAGE_CACHE_BYTES = 200 * 1024 * 1024;

export interface LoadedPackage {
  bytes: Buffer;
  sha256: string;
  /** For messages: the file's name, or `<template> <version>` from the marketplace. */
  label: string;
  origin: 'marketplace' | 'file';
}

export interface PackageSourceOptions {
  db: Db;
  logger: Logger;
  transport: CloudTransport;
  catalogue: CatalogueCache;
  appVersion: string;
  now: () => number;
  maxCacheBytes?: number;
}

const sha256Hex = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

export class PackageLoader {
  readonly #options: PackageSourceOptions;
  readonly #sql;

  constructor(options: PackageSourceOptions) {
    this.#options = options;
    const { db } = options;
    this.#sql = {
      cached: db.prepare<[string], { bytes: Buffer }>('SELECT bytes FROM market_packages WHERE sha256 = ?'),
      use: db.prepare<[number, string]>('UPDATE market_packages SET used_at = ? WHERE sha256 = ?'),
      save: db.prepare('INSERT OR REPLACE INTO market_packages (sha256, template_id, version, size, bytes, used_at) VALUES (?, ?, ?, ?, ?, ?)'),
      byAge: db.prepare<[string], { sha256: string; size: number }>('SELECT sha256, size FROM market_packages ORDER BY sha256 = ? DESC, used_at DESC, sha256'),
      drop: db.prepare<[string]>('DELETE FROM market_packages WHERE sha256 = ?'),
    };
  }

  /** The bytes of a package, from the marketplace (cache first) or from the file the user chose. */
  async load(source: PackageSource): Promise<LoadedPackage> {
    if (source.kind === 'file') return this.#fromFile(source.fileName, source.base64);
    return this.#fromMarketplace(source.templateId, source.version);
  }

  #fromFile(fileName: string, base64: string): LoadedPackage {
    const text = base64.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw new AppError('invalid_input', 'market.fileNotBase64', { params: { file: fileName } });
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === 0) throw new AppError('invalid_input', 'market.fileNotBase64', { params: { file: fileName } });
    return { bytes, sha256: sha256Hex(bytes), label: fileName, origin: 'file' };
  }

  /** The version asked for, or the newest that works with this PlantDesk. */
  async resolveVersion(templateId: string, version: string | undefined): Promise<{ version: string; sha256: string; size: number }> {
    const entry = await this.#options.catalogue.require(templateId);
    const wanted = version ?? compatibleVersion(entry, this.#options.appVersion);
    if (!wanted) throw new AppError('conflict', 'market.noCompatibleVersion', { params: { template: templateId, appVersion: this.#options.appVersion } });
    const listed = entry.versions.find((candidate) => candidate.version === wanted);
    if (!listed) throw new AppError('not_found', 'market.versionUnknown', { params: { template: templateId, version: wanted } });
    return listed;
  }

  async #fromMarketplace(templateId: string, version: string | undefined): Promise<LoadedPackage> {
    const listed = await this.resolveVersion(templateId, version);
    const label = `${templateId} ${listed.version}`;
    const cached = this.#sql.cached.get(listed.sha256);
    if (cached && sha256Hex(cached.bytes) === listed.sha256) {
      writeCache(this.#options.logger, 'package', () => this.#sql.use.run(this.#options.now(), listed.sha256));
      return { bytes: cached.bytes, sha256: listed.sha256, label, origin: 'marketplace' };
    }
    const path = `/v1/catalogue/templates/${encodeURIComponent(templateId)}/versions/${encodeURIComponent(listed.version)}/package`;
    const answer = await askCloud<Buffer>(this.#options.transport, { method: 'GET', path, binary: true, timeoutMs: 120_000 });
    const params = { template: templateId, version: listed.version };
    if (answer.kind === 'refused' && answer.status === 404) throw new AppError('not_found', 'market.versionUnknown', { params });
    if (answer.kind === 'unreachable') throw new AppError('unavailable', 'market.downloadOffline', { params: { ...params, problem: answer.problem } });
    if (answer.kind !== 'answer') throw cloudFailure(answer, 'market.downloadRefused', params);
    const bytes = Buffer.isBuffer(answer.body) ? answer.body : Buffer.alloc(0);
    const sha256 = sha256Hex(bytes);
    if (sha256 !== listed.sha256) {
      this.#options.logger.warn('a downloaded package differs from the catalogue', { ...params, expected: listed.sha256, got: sha256, size: bytes.length });
      throw new AppError('invalid_input', 'market.downloadMismatch', { params, details: { expected: listed.sha256, got: sha256 } });
    }
    this.#store(templateId, listed.version, sha256, bytes);
    return { bytes, sha256, label, origin: 'marketplace' };
  }

  /** Keeps a downloaded package, dropping the least recently used beyond the bound. */
  #store(templateId: string, version: string, sha256: string, bytes: Buffer): void {
    const max = this.#options.maxCacheBytes ?? PACKAGE_CACHE_BYTES;
    if (bytes.length > max) return;
    writeCache(this.#options.logger, 'package', () =>
      this.#options.db.transaction(() => {
        this.#sql.save.run(sha256, templateId, version, bytes.length, bytes, this.#options.now());
        let total = 0;
        for (const row of this.#sql.byAge.all(sha256)) {
          total += row.size;
          if (total > max) this.#sql.drop.run(row.sha256);
        }
      }).immediate(),
    );
  }
}
