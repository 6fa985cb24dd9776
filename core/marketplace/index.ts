// The marketplace in the core: the catalogue cached for offline use, orders through the cloud, the
// signed control list, and template packages installed from the marketplace or a file (issue 7 item 5).
export { createMarketHandlers, MARKET_CALLS_CHANGING_STORED } from './market-handlers.ts';
export type { MarketCallName, MarketHandlers } from './market-handlers.ts';
export { MarketplaceService, suggestInstanceId } from './template-service.ts';
export type { MarketplaceDeps } from './template-service.ts';
export { marketplaceMigration } from './schema.ts';
export { CATALOGUE_STALE_MS, compatibleVersion, filterCatalogue } from './catalogue-cache.ts';
export { PACKAGE_CACHE_BYTES } from './package-source.ts';
