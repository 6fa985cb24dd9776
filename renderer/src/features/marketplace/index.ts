// The Marketplace page: the catalogue, a template's page with its plans, installing and the installed
// templates; and the small pieces Settings → Cloud and licences and the licence banner share with it.
export { MarketplacePage } from './MarketplacePage.tsx';
export { LicenceBadge } from './LicenceBadge.tsx';
export { formatDay } from './market-text.ts';
export { localised, meteredName, type PlanTranslate } from './money.ts';
