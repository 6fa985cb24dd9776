// The signed control list (`control-list.<payload>.<signature>`): template versions the marketplace
// revoked (install refused, with the reason) or deprecated (a warning). Verified with the pinned
// marketplace keys, cached as the signed line itself so it is checked again when read, and never
// replaced by an older revision than the one held.
import { checkSignedDocument, ControlListPayloadSchema, type ControlListPayload } from '../../shared/cloud/index.ts';
import type { CloudTransport } from '../cloud/transport.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { trustedKeyChecker, type TrustedKey } from '../templates/index.ts';
import { askCloud, writeCache } from './cloud-answer.ts';

export interface ControlStatus {
  status: 'published' | 'deprecated' | 'revoked';
  reason: string;
}

export const PUBLISHED: ControlStatus = { status: 'published', reason: '' };

export interface ControlListOptions {
  db: Db;
  logger: Logger;
  transport: CloudTransport;
  trustedKeys: () => readonly TrustedKey[];
  now: () => number;
}

/** What a refresh did: 'updated', 'unchanged' (304, same or older revision) or why it failed. */
export type ControlListRefresh = { outcome: 'updated' | 'unchanged' } | { outcome: 'failed'; problem: string };

export class ControlList {
  readonly #options: ControlListOptions;
  readonly #sql;
  /** The last line verified: keys are only ever added, so it stays verified. */
  #verified: { line: string; payload: ControlListPayload } | undefined;

  constructor(options: ControlListOptions) {
    this.#options = options;
    this.#sql = {
      read: options.db.prepare<[], { line: string; revision: number; etag: string | null }>('SELECT line, revision, etag FROM market_control_list WHERE id = 1'),
      write: options.db.prepare(`INSERT INTO market_control_list (id, line, revision, etag, refreshed_at) VALUES (1, @line, @revision, @etag, @refreshedAt)
        ON CONFLICT(id) DO UPDATE SET line = excluded.line, revision = excluded.revision, etag = excluded.etag, refreshed_at = excluded.refreshed_at`),
    };
  }

  #verify(line: string): ControlListPayload | { problem: string } {
    const check = checkSignedDocument(line, 'control-list', ControlListPayloadSchema, trustedKeyChecker(this.#options.trustedKeys()));
    if (check.status === 'valid') return check.payload;
    return { problem: check.status === 'cannot_verify' ? `cannot verify the control list (${check.reason})` : `the control list is not genuine (${check.reason})` };
  }

  /** The cached list, verified again; undefined when none is held (or it no longer verifies). */
  current(): ControlListPayload | undefined {
    const row = this.#sql.read.get();
    if (!row) return undefined;
    if (this.#verified?.line === row.line) return this.#verified.payload;
    const verified = this.#verify(row.line);
    if ('problem' in verified) {
      this.#options.logger.warn('the cached control list does not verify', { problem: verified.problem });
      return undefined;
    }
    this.#verified = { line: row.line, payload: verified };
    return verified;
  }

  /** The list's word on one version; published when it names it not. */
  statusOf(templateId: string, version: string): ControlStatus {
    const entry = this.current()?.entries.find((candidate) => candidate.templateId === templateId && candidate.version === version);
    return entry ? { status: entry.status, reason: entry.reason } : PUBLISHED;
  }

  /** Reads the list from the cloud, verifies it, and keeps it unless it is older than the cached one. */
  async refresh(): Promise<ControlListRefresh> {
    const row = this.#sql.read.get();
    const held = row ? this.current() : undefined;
    const answer = await askCloud<{ controlList?: unknown }>(this.#options.transport, {
      method: 'GET',
      path: '/v1/catalogue/control-list',
      headers: held && row?.etag ? { 'if-none-match': row.etag } : {},
    });
    if (answer.kind === 'unreachable') return { outcome: 'failed', problem: answer.problem };
    if (answer.kind === 'refused') return { outcome: 'failed', problem: answer.reason };
    if (answer.kind === 'not_activated') return { outcome: 'failed', problem: 'not activated' };
    if (answer.status === 304) return { outcome: 'unchanged' };
    const line = typeof answer.body?.controlList === 'string' ? answer.body.controlList : '';
    const verified = this.#verify(line);
    if ('problem' in verified) {
      this.#options.logger.warn('the control list from the cloud was not accepted', { problem: verified.problem });
      return { outcome: 'failed', problem: verified.problem };
    }
    if (held && verified.revision < held.revision) {
      this.#options.logger.warn('the cloud sent an older control list than the one held; kept the newer', { held: held.revision, offered: verified.revision });
      return { outcome: 'unchanged' };
    }
    writeCache(this.#options.logger, 'control list', () => this.#sql.write.run({ line, revision: verified.revision, etag: answer.headers.get('etag'), refreshedAt: this.#options.now() }));
    return { outcome: 'updated' };
  }
}
