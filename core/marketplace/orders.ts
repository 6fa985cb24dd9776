// Orders through the cloud platform: start a trial, subscribe, enable pay-after-use or
// pay-for-results, cancel; the organisation's entitlements as the cloud last reported them, kept
// for offline reading. Every request is signed by this PC (the transport does it once activated);
// after an order or a cancellation the licences are fetched again.
import { z } from 'zod';
import { EntitlementSchema, OrderResponseSchema, type Entitlement, type Invoice, type OrderRequest } from '../../shared/cloud/index.ts';
import type { TemplateLicence } from '../../shared/contract/licence-calls.ts';
import { AppError } from '../../shared/errors.ts';
import type { Locale } from '../../shared/i18n/index.ts';
import type { CloudTransport } from '../cloud/transport.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { askCloud, cloudFailure, writeCache } from './cloud-answer.ts';

export interface OrdersOptions {
  db: Db;
  logger: Logger;
  transport: CloudTransport;
  licenceOf: (templateId: string, locale?: Locale) => TemplateLicence | null;
  refreshLicences: () => Promise<void>;
  now: () => number;
}

const EntitlementListSchema = z.object({ entitlements: z.array(EntitlementSchema) });

export class Orders {
  readonly #options: OrdersOptions;
  readonly #sql;

  constructor(options: OrdersOptions) {
    this.#options = options;
    this.#sql = {
      read: options.db.prepare<[], { entitlements: string; refreshed_at: number }>('SELECT entitlements, refreshed_at FROM market_entitlements WHERE id = 1'),
      write: options.db.prepare(`INSERT INTO market_entitlements (id, entitlements, refreshed_at) VALUES (1, ?, ?)
        ON CONFLICT(id) DO UPDATE SET entitlements = excluded.entitlements, refreshed_at = excluded.refreshed_at`),
    };
  }

  /** The cached entitlements and when the cloud reported them (null: never). */
  cached(): { entitlements: Entitlement[]; refreshedAt: number | null } {
    const row = this.#sql.read.get();
    if (!row) return { entitlements: [], refreshedAt: null };
    let json: unknown;
    try {
      json = JSON.parse(row.entitlements);
    } catch {
      json = undefined;
    }
    const parsed = z.array(EntitlementSchema).safeParse(json);
    return parsed.success ? { entitlements: parsed.data, refreshedAt: row.refreshed_at } : { entitlements: [], refreshedAt: null };
  }

  #remember(entitlement: Entitlement): void {
    const held = this.cached();
    const others = held.entitlements.filter((candidate) => candidate.id !== entitlement.id);
    writeCache(this.#options.logger, 'entitlements', () => this.#sql.write.run(JSON.stringify([entitlement, ...others]), held.refreshedAt ?? this.#options.now()));
  }

  /** Refreshes the licences after the cloud changed an entitlement; a failure is logged, not thrown (the order stands). */
  async #refreshLicences(templateId: string, locale: Locale): Promise<TemplateLicence | null> {
    try {
      await this.#options.refreshLicences();
    } catch (error) {
      this.#options.logger.warn('licences could not be refreshed after an order; the next sync will', { templateId, problem: error instanceof Error ? error.message : String(error) });
    }
    return this.#options.licenceOf(templateId, locale);
  }

  /** Places an order and returns the entitlement it made, its invoice (if any) and the licence now held. */
  async order(request: OrderRequest & { requestId?: string | undefined }, locale: Locale = 'en'): Promise<{ entitlement: Entitlement; invoice: Invoice | null; licence: TemplateLicence | null }> {
    const { requestId, ...order } = request;
    const answer = await askCloud(this.#options.transport, {
      method: 'POST',
      path: '/v1/orders',
      body: order,
      signed: true,
      ...(requestId ? { headers: { 'idempotency-key': requestId } } : {}),
    });
    if (answer.kind !== 'answer') throw cloudFailure(answer, 'market.orderRefused', { template: request.templateId, plan: request.planId });
    const result = OrderResponseSchema.safeParse(answer.body);
    if (!result.success) throw new AppError('unavailable', 'market.cloudUnreachable', { params: { problem: 'the order answer could not be read' } });
    this.#remember(result.data.entitlement);
    this.#options.logger.info('order placed', { templateId: request.templateId, planId: request.planId, entitlementId: result.data.entitlement.id, status: result.data.entitlement.status });
    const licence = await this.#refreshLicences(request.templateId, locale);
    return { ...result.data, licence };
  }

  /** The entitlements from the cloud, cached; from the cache when the cloud cannot be asked. */
  async entitlements(): Promise<{ entitlements: Entitlement[]; refreshedAt: number | null }> {
    const answer = await askCloud(this.#options.transport, { method: 'GET', path: '/v1/entitlements', signed: true });
    if (answer.kind === 'unreachable' || answer.kind === 'not_activated') {
      const held = this.cached();
      if (held.refreshedAt !== null) return held;
      throw cloudFailure(answer, 'market.entitlementsRefused');
    }
    if (answer.kind === 'refused') throw cloudFailure(answer, 'market.entitlementsRefused');
    const list = EntitlementListSchema.safeParse(answer.body);
    if (!list.success) throw new AppError('unavailable', 'market.cloudUnreachable', { params: { problem: 'the entitlements could not be read' } });
    const refreshedAt = this.#options.now();
    writeCache(this.#options.logger, 'entitlements', () => this.#sql.write.run(JSON.stringify(list.data.entitlements), refreshedAt));
    return { entitlements: list.data.entitlements, refreshedAt };
  }

  /** Cancels an entitlement in the cloud (a paid subscription runs to the end of its period). */
  async cancel(entitlementId: string, locale: Locale = 'en'): Promise<{ entitlement: Entitlement }> {
    const answer = await askCloud(this.#options.transport, { method: 'POST', path: `/v1/entitlements/${encodeURIComponent(entitlementId)}/cancel`, signed: true });
    if (answer.kind !== 'answer') throw cloudFailure(answer, 'market.cancelRefused', { entitlement: entitlementId });
    const entitlement = EntitlementSchema.safeParse(answer.body);
    if (!entitlement.success) throw new AppError('unavailable', 'market.cloudUnreachable', { params: { problem: 'the cancellation answer could not be read' } });
    this.#remember(entitlement.data);
    this.#options.logger.info('entitlement cancelled', { entitlementId, status: entitlement.data.status });
    await this.#refreshLicences(entitlement.data.templateId, locale);
    return { entitlement: entitlement.data };
  }
}
