// Wire formats the desktop app and the cloud platform share: canonical JSON, signed documents
// (licences, package signatures, server time), signed requests, activation, the catalogue, orders,
// usage and outcome batches. Pure: zod only, no Node, no DOM.
export * from './encoding.ts';
export * from './canonical-json.ts';
export * from './signed-document.ts';
export * from './signed-request.ts';
export * from './errors.ts';
export * from './common.ts';
export * from './accounts.ts';
export * from './manifest.ts';
export * from './catalogue.ts';
export * from './licence.ts';
export * from './usage.ts';
export * from './orders.ts';
