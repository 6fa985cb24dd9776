// The marketplace keys a release of PlantDesk trusts. Licences, packages and control lists are signed
// by the marketplace key; a PC that took whatever keys a cloud address handed out would accept
// licences from any server it was pointed at (a copy of cloud/ signs its own). So a release pins its
// marketplace's keys here (the current and the next one, from `npm run cloud -- keys show`) or in
// PLANTDESK_MARKETPLACE_KEYS; keys a cloud offers are then used only when they are among these.
// With none pinned (development, a self-hosted reference platform) the keys of the cloud the PC was
// activated with are trusted on first use, and later answers only add keys, never replace them.
import type { TrustedKey } from '../templates/verify-package.ts';

/** The keys of the production marketplace, filled in at release. */
export const RELEASE_MARKETPLACE_KEYS: readonly TrustedKey[] = [];

const KEY_ID = /^[0-9a-f]{16}$/;
const PUBLIC_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * The pinned keys: the release's, plus `PLANTDESK_MARKETPLACE_KEYS` (`keyId:publicKey`, comma separated);
 * malformed entries are ignored.
 * @example pinnedMarketplaceKeys({ PLANTDESK_MARKETPLACE_KEYS: '4a62652f0e315896:eiClDrPl…' })
 */
export function pinnedMarketplaceKeys(env: Record<string, string | undefined> = process.env): TrustedKey[] {
  const fromEnv = (env.PLANTDESK_MARKETPLACE_KEYS ?? '')
    .split(',')
    .map((entry) => entry.trim().split(':'))
    .flatMap(([keyId, publicKey]) => (keyId && publicKey && KEY_ID.test(keyId) && PUBLIC_KEY.test(publicKey) ? [{ keyId, publicKey }] : []));
  const keys = new Map([...RELEASE_MARKETPLACE_KEYS, ...fromEnv].map((key) => [key.keyId, key]));
  return [...keys.values()];
}
