// What the routes share: the database, the marketplace keys, the clock, the payment providers and
// the settings. Nothing here holds state between requests that another instance would need.
import type { Database } from './db/database.ts';
import type { Keyring } from './crypto/keys.ts';
import type { PaymentProviders } from './orders/payments.ts';

export interface CloudSettings {
  /** Token for operator endpoints and the web page; without it they answer 503. */
  operatorToken?: string;
  /** Days an activation code stays usable. */
  activationCodeDays: number;
}

export interface CloudContext {
  db: Database;
  keys: Keyring;
  now: () => number;
  config: CloudSettings;
  payments: PaymentProviders;
  /** Small clean-ups (expired nonces), at most once a minute per instance, never in the way of a request. */
  housekeeping: () => void;
}
