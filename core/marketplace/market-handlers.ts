// The core's implementation of the marketplace and template calls (shared/contract/market-calls.ts).
import type { z } from 'zod';
import { marketCalls } from '../../shared/contract/market-calls.ts';
import { translate } from '../../shared/i18n/index.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { hostTimeZone, LocalTime } from '../historian/export/local-time.ts';
import { MarketplaceService, type MarketplaceDeps } from './template-service.ts';

/** When the cached catalogue was saved, on this PC's clock: "2026-11-24 15:36" (the plant's own time, not UTC). */
function savedAtText(refreshedAt: number): string {
  return new LocalTime(hostTimeZone()).format(refreshedAt).slice(0, 16);
}

type MarketCalls = typeof marketCalls;
export type MarketCallName = keyof MarketCalls;

/** The handlers, typed from the market calls alone, so they fit the dispatcher's `Handlers` once wired. */
export type MarketHandlers = {
  [Name in MarketCallName]: (input: z.output<MarketCalls[Name]['input']>, context: CallContext) => Promise<z.output<MarketCalls[Name]['output']>>;
};

/** The calls that change stored data (for CHANGES_STORED: refused while storage is read-only). */
export const MARKET_CALLS_CHANGING_STORED = ['marketplace.order', 'marketplace.cancel', 'templates.install', 'templates.update', 'templates.rollBack', 'templates.uninstall'] as const satisfies readonly MarketCallName[];

/**
 * The handlers with the service behind them, and `refreshCatalogue` for the sync engine.
 * @example const { handlers, refreshCatalogue } = createMarketHandlers({ db, logger, transport, ... })
 */
export function createMarketHandlers(deps: MarketplaceDeps): { handlers: MarketHandlers; refreshCatalogue: () => Promise<void>; service: MarketplaceService } {
  const service = new MarketplaceService(deps);
  const handlers: MarketHandlers = {
    'marketplace.catalogue': async (input, context) => {
      const view = await service.browse(input, context.locale);
      const why = view.problem && (view.problem.key ? translate(context.locale, view.problem.key) : view.problem.problem);
      const problem = why
        ? view.refreshedAt === null
          ? translate(context.locale, 'market.catalogueOfflineEmpty', { problem: why })
          : translate(context.locale, 'market.catalogueOffline', { problem: why, refreshedAt: savedAtText(view.refreshedAt) })
        : null;
      return { templates: view.templates, refreshedAt: view.refreshedAt, source: view.source, problem };
    },
    'marketplace.template': (input, context) => service.template(input.templateId, context.locale),
    'marketplace.screenshot': async (input) => {
      const shot = await service.catalogue.screenshot(input.templateId, input.version, input.index);
      return { contentType: shot.contentType, base64: shot.bytes.toString('base64') };
    },
    'marketplace.order': (input, context) => service.orders.order(input, context.locale),
    'marketplace.entitlements': () => service.orders.entitlements(),
    'marketplace.cancel': (input, context) => service.orders.cancel(input.entitlementId, context.locale),
    'templates.inspect': (input) => service.inspect(input.source),
    'templates.install': (input, context) => service.install(input, context.locale),
    'templates.installed': async (_input, context) => ({ instances: service.installed(context.locale) }),
    'templates.update': (input, context) => service.update(input, context.locale),
    'templates.rollBack': (input, context) => service.rollBack(input.instanceId, context.locale),
    'templates.uninstall': (input) => service.uninstall(input.instanceId, input.keepData),
  };
  return {
    handlers,
    service,
    async refreshCatalogue() {
      await service.refreshCatalogue();
    },
  };
}
