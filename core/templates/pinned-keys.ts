// Marketplace public keys this app trusts without activation, so the demo catalogue and packages
// installed from disk verify before any cloud is reached. Today that is only the DEVELOPMENT key of
// templates/dev-marketplace-key.json (scripts/build-templates.ts signs the shipped templates with it);
// activation adds the real marketplace keys (GET /v1/keys). A test checks this matches the key file.
import type { TrustedKey } from './verify-package.ts';

/** The development marketplace key: signs the templates built from templates/ for demos and tests only. */
export const DEVELOPMENT_MARKETPLACE_KEY: TrustedKey = { keyId: '4a62652f0e315896', publicKey: 'eiClDrPlbfkB7MmhnwaNWkXM7DHE2VddAZC5hbZqiZc' };

export const PINNED_MARKETPLACE_KEYS: readonly TrustedKey[] = [DEVELOPMENT_MARKETPLACE_KEY];
