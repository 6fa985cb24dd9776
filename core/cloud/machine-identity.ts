// This PC as the PlantDesk cloud knows it (issue 8 item 1): the cloud's address, the machine id and
// organisation from activation, the marketplace keys it pins, and the machine's Ed25519 private key —
// kept in the SecretStore only (never in SQLite, never logged, never returned by a call).
//
// Activation: a one-time code, a key pair made here, the proof that this PC holds the key, and the
// fingerprint. A data folder copied to another PC keeps its settings, but the fingerprint no longer
// matches (and the protected key file does not open): the identity is then not used, and the user is
// asked to activate this PC with a new code.
import crypto, { type KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  activationProof,
  ActivationResponseSchema,
  MachineFingerprintSchema,
  MarketplaceKeySchema,
  type MachineFingerprint,
  type MarketplaceKey,
} from '../../shared/cloud/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { MessageKey } from '../../shared/i18n/index.ts';
import type { Logger } from '../host.ts';
import { fingerprintLikeness, type ThisMachine } from '../licensing/licence-state.ts';
import type { Settings } from '../storage/settings.ts';
import type { TrustedKey } from '../templates/index.ts';
import { APP_VERSION } from '../version.ts';
import { cloudErrorOf } from './cloud-error.ts';
import { pinnedMarketplaceKeys } from './marketplace-keys.ts';
import type { SecretStore } from './secret-store.ts';
import { CloudUnreachable, HttpTransport, type CloudResponse, type CloudTransport, type MachineSigner } from './transport.ts';

/** The secret's name in the SecretStore. */
export const MACHINE_KEY_SECRET = 'machine-key';
const PENDING_KEY_SECRET = 'machine-key-pending';

const URL_KEY = 'cloud.url';
const IDENTITY_KEY = 'cloud.identity';
const KEYS_KEY = 'cloud.marketplaceKeys';

const CloudUrlSchema = z.string().url().max(300).nullable();

const StoredIdentitySchema = z.object({
  machineId: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  machineName: z.string(),
  activatedAt: z.number().int(),
  /** The machine's public key, raw base64url (the private half is in the SecretStore). */
  publicKey: z.string(),
  /** This PC's fingerprint when it was activated (or last accepted by the cloud). */
  fingerprint: MachineFingerprintSchema,
  /** The cloud it was activated with. */
  url: z.string(),
});
type StoredIdentity = z.infer<typeof StoredIdentitySchema>;

const PinnedKeysSchema = z.array(MarketplaceKeySchema);

/** Who this PC is, as cloud.status shows it (no secret in it). */
export interface IdentityView {
  url: string | null;
  activated: boolean;
  machineId: string | null;
  machineName: string | null;
  organisationName: string | null;
  activatedAt: number | null;
  keyStorage: 'os-keychain' | 'protected-file' | 'none';
  fingerprintMatches: boolean;
}

export interface MachineIdentityDeps {
  /** The settings of the database the core runs on now. */
  settings: () => Settings;
  secrets: SecretStore;
  /** This PC's fingerprint now (fingerprint.ts). */
  fingerprint: MachineFingerprint;
  logger: Logger;
  /** PLANTDESK_CLOUD_URL gives the default cloud address; PLANTDESK_MARKETPLACE_KEYS pins marketplace keys. */
  env?: Record<string, string | undefined>;
  /** Talks to the cloud; by default an HttpTransport on this identity's address and key. */
  transport?: CloudTransport;
  /** The wall clock the request signatures carry. */
  now?: () => number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether requests to this address are protected in transit: https, or http that never leaves this PC. */
export function isSafeCloudUrl(url: string, env: Record<string, string | undefined>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && (LOOPBACK_HOSTS.has(parsed.hostname) || env.PLANTDESK_ALLOW_HTTP_CLOUD === '1');
}

/** Keys learned from the cloud kept at most: a rotation or two. */
const MAX_LEARNED_KEYS = 4;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export { cloudErrorOf };

/** A request that got no answer, as a sentence naming the address. */
export function unreachableError(error: CloudUnreachable | Error, url: string | undefined): AppError {
  if (!url) return new AppError('invalid_input', 'licensing.cloud.noUrl');
  return new AppError('unavailable', 'licensing.cloud.unreachable', { params: { url, reason: error instanceof CloudUnreachable ? error.reason : reasonOf(error) }, cause: error });
}

/** The raw base64url public key of an Ed25519 key. */
const rawPublicKey = (publicKey: KeyObject) => String(publicKey.export({ format: 'jwk' }).x);

export class MachineIdentity {
  readonly #deps: MachineIdentityDeps;
  readonly transport: CloudTransport;
  #stored: StoredIdentity | undefined;
  #privateKey: KeyObject | undefined;
  /** Why the stored identity is not used here, when it is not. */
  #problem: MessageKey | undefined;

  private constructor(deps: MachineIdentityDeps) {
    this.#deps = deps;
    this.transport =
      deps.transport ??
      new HttpTransport({ baseUrl: () => this.url ?? undefined, signer: () => this.signer(), ...(deps.now ? { now: deps.now } : {}) });
  }

  /** Loads the stored identity and, when this is the PC it was activated on, its key. */
  static async open(deps: MachineIdentityDeps): Promise<MachineIdentity> {
    const identity = new MachineIdentity(deps);
    await identity.reload();
    return identity;
  }

  /** Reads the identity and key again (after a backup was restored: it may hold another activation). */
  async reload(): Promise<void> {
    const { logger } = this.#deps;
    this.#stored = this.#deps.settings().read(IDENTITY_KEY, StoredIdentitySchema.nullable(), null) ?? undefined;
    this.#privateKey = undefined;
    this.#problem = undefined;
    if (!this.#stored) return;
    if (!this.#fingerprintMatches(this.#stored)) {
      this.#problem = 'licensing.cloud.fingerprintMismatch';
      logger.warn('this data folder was activated on another PC; its cloud identity is not used', { machineId: this.#stored.machineId });
      return;
    }
    try {
      const bytes = await this.#deps.secrets.get(MACHINE_KEY_SECRET);
      if (!bytes) {
        this.#problem = 'licensing.cloud.keyMissing';
        logger.warn('the machine key is missing from the secret store', { machineId: this.#stored.machineId, store: this.#deps.secrets.kind });
        return;
      }
      const key = crypto.createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
      if (rawPublicKey(crypto.createPublicKey(key)) !== this.#stored.publicKey) throw new Error('the stored key is not the activated one');
      this.#privateKey = key;
    } catch (error) {
      this.#problem = 'licensing.cloud.keyUnreadable';
      logger.warn('cannot open the machine key', { machineId: this.#stored.machineId, store: this.#deps.secrets.kind, error: reasonOf(error) });
    }
  }

  #fingerprintMatches(stored: StoredIdentity): boolean {
    const here = this.#deps.fingerprint;
    return stored.fingerprint.hash === here.hash || fingerprintLikeness(stored.fingerprint, here) > 0.5;
  }

  /** The cloud's address: set in the app, else PLANTDESK_CLOUD_URL, else none. */
  get url(): string | null {
    const stored = this.#deps.settings().read(URL_KEY, CloudUrlSchema, null);
    if (stored) return stored;
    const fromEnv = (this.#deps.env ?? process.env).PLANTDESK_CLOUD_URL;
    return fromEnv && CloudUrlSchema.safeParse(fromEnv).success ? fromEnv : null;
  }

  /** Sets the cloud's address: https, or plain http only on this PC (tests, a platform beside the app) or when PLANTDESK_ALLOW_HTTP_CLOUD=1. */
  setUrl(url: string): void {
    if (!isSafeCloudUrl(url, this.#deps.env ?? process.env)) throw new AppError('invalid_input', 'licensing.cloud.insecureUrl', { params: { url } });
    this.#deps.settings().write(URL_KEY, CloudUrlSchema, url.replace(/\/+$/, ''));
  }

  /** Activated on this PC, with its key at hand. */
  get usable(): boolean {
    return !!this.#stored && !!this.#privateKey;
  }

  /** Why the identity cannot be used (not activated, copied from another PC, key unreadable); undefined when it can. */
  get problem(): MessageKey | undefined {
    if (this.usable) return undefined;
    return this.#problem ?? 'licensing.cloud.notActivated';
  }

  /** The signer for HttpTransport, once activated on this PC. */
  signer(): MachineSigner | undefined {
    return this.#stored && this.#privateKey ? { machineId: this.#stored.machineId, privateKey: this.#privateKey } : undefined;
  }

  /** This PC as a licence must name it; undefined before activation or on a copied data folder. */
  thisMachine(): ThisMachine | undefined {
    if (!this.#stored || !this.#privateKey) return undefined;
    return { id: this.#stored.machineId, publicKey: this.#stored.publicKey, fingerprint: this.#deps.fingerprint };
  }

  get fingerprint(): MachineFingerprint {
    return this.#deps.fingerprint;
  }

  /** The marketplace keys trusted: the release's pinned ones, and those learned from the cloud (only pinned ones when a release pins any). */
  trustedKeys(): TrustedKey[] {
    const pinned = pinnedMarketplaceKeys(this.#deps.env ?? process.env);
    const learned = this.#deps.settings().read(KEYS_KEY, PinnedKeysSchema, []).map(({ keyId, publicKey }) => ({ keyId, publicKey }));
    const usable = pinned.length === 0 ? learned : learned.filter((key) => pinned.some((known) => known.keyId === key.keyId && known.publicKey === key.publicKey));
    return [...new Map([...pinned, ...usable].map((key) => [key.keyId, key])).values()];
  }

  /**
   * Learns the current and next keys of an answer, added to those learned before (a rotation keeps
   * the old key verifying what it signed), the newest few kept. A release that pins keys uses only
   * pinned ones (trustedKeys), so a server it was pointed at cannot bring its own.
   */
  pinKeys(keys: readonly MarketplaceKey[]): void {
    const offered = keys.filter((key) => key.status === 'current' || key.status === 'next');
    if (offered.length === 0) return;
    const known = this.#deps.settings().read(KEYS_KEY, PinnedKeysSchema, []);
    const merged = new Map([...known, ...offered].map((key) => [key.keyId, key]));
    this.#deps.settings().write(KEYS_KEY, PinnedKeysSchema, [...merged.values()].slice(-MAX_LEARNED_KEYS));
  }

  /** Asks the cloud for its keys (GET /v1/keys) and pins them; an unreachable cloud or odd answer keeps the old ones. */
  async refreshKeys(): Promise<void> {
    try {
      const response = await this.transport.request<{ keys?: unknown }>({ method: 'GET', path: '/v1/keys', timeoutMs: 10_000 });
      const keys = PinnedKeysSchema.safeParse(response.body?.keys);
      if (response.status === 200 && keys.success) this.pinKeys(keys.data);
    } catch (error) {
      this.#deps.logger.warn('cannot read the marketplace keys; keeping the pinned ones', { error: reasonOf(error) });
    }
  }

  /** The cloud accepted this PC's fingerprint now (it changed a little: a new network card). */
  noteFingerprintAccepted(): void {
    if (!this.#stored || this.#stored.fingerprint.hash === this.#deps.fingerprint.hash) return;
    this.#stored = { ...this.#stored, fingerprint: this.#deps.fingerprint };
    this.#deps.settings().write(IDENTITY_KEY, StoredIdentitySchema.nullable(), this.#stored);
  }

  view(): IdentityView {
    const stored = this.#stored;
    const usable = this.usable;
    return {
      url: this.url,
      activated: usable,
      machineId: stored?.machineId ?? null,
      machineName: stored?.machineName ?? null,
      organisationName: stored?.organisationName ?? null,
      activatedAt: stored?.activatedAt ?? null,
      keyStorage: usable ? this.#deps.secrets.kind : 'none',
      fingerprintMatches: stored ? this.#fingerprintMatches(stored) : true,
    };
  }

  /**
   * Activates this PC with a one-time code: makes a key pair, proves it holds it, registers the
   * public half and the fingerprint. The caller refreshes the licences afterwards.
   */
  async activate(input: { code: string; machineName: string; url?: string }): Promise<void> {
    if (input.url) this.setUrl(input.url);
    const url = this.url;
    if (!url) throw new AppError('invalid_input', 'licensing.cloud.noUrl');
    if (this.usable) await this.#refuseIfStillActive(url);

    const pair = crypto.generateKeyPairSync('ed25519');
    const publicKey = rawPublicKey(pair.publicKey);
    const privateDer = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    // Written first: a secret store that cannot keep the key fails before the code is spent.
    await this.#deps.secrets.set(PENDING_KEY_SECRET, privateDer);
    const proof = crypto.sign(null, Buffer.from(activationProof({ code: input.code, publicKey }), 'utf8'), pair.privateKey).toString('base64url');
    let response: CloudResponse;
    try {
      response = await this.transport.request({
        method: 'POST',
        path: '/v1/machines/activate',
        body: { code: input.code, publicKey, proof, name: input.machineName, fingerprint: this.#deps.fingerprint, appVersion: APP_VERSION },
      });
    } catch (error) {
      await this.#deps.secrets.delete(PENDING_KEY_SECRET);
      throw error instanceof CloudUnreachable ? unreachableError(error, url) : error;
    }
    if (response.status !== 201) {
      await this.#deps.secrets.delete(PENDING_KEY_SECRET);
      throw activationRefusal(response, input.code, url);
    }
    const answer = ActivationResponseSchema.safeParse(response.body);
    if (!answer.success) {
      await this.#deps.secrets.delete(PENDING_KEY_SECRET);
      throw new AppError('unavailable', 'licensing.cloud.badAnswer', { params: { url } });
    }
    await this.#deps.secrets.set(MACHINE_KEY_SECRET, privateDer);
    await this.#deps.secrets.delete(PENDING_KEY_SECRET);
    const stored: StoredIdentity = {
      machineId: answer.data.machineId,
      organisationId: answer.data.organisationId,
      organisationName: answer.data.organisationName,
      machineName: input.machineName,
      activatedAt: answer.data.activatedAt,
      publicKey,
      fingerprint: this.#deps.fingerprint,
      url,
    };
    this.#deps.settings().write(IDENTITY_KEY, StoredIdentitySchema.nullable(), stored);
    this.pinKeys(answer.data.marketplaceKeys);
    this.#stored = stored;
    this.#privateKey = pair.privateKey;
    this.#problem = undefined;
    this.#deps.logger.info('this PC is activated with the PlantDesk cloud', { machineId: stored.machineId, organisationId: stored.organisationId, url });
  }

  /** A PC still registered with the cloud is not activated twice by accident; a revoked one may be. */
  async #refuseIfStillActive(url: string): Promise<void> {
    const stored = this.#stored!;
    let response: CloudResponse;
    try {
      response = await this.transport.request({ method: 'GET', path: '/v1/machines/me', signed: true, timeoutMs: 10_000 });
    } catch (error) {
      throw error instanceof CloudUnreachable ? unreachableError(error, url) : error;
    }
    if (response.status === 401 && cloudErrorOf(response).code === 'unauthorized') return;
    throw new AppError('conflict', 'licensing.cloud.alreadyActivated', {
      params: { machine: stored.machineName, organisation: stored.organisationName, machineId: stored.machineId },
    });
  }
}

function activationRefusal(response: CloudResponse, code: string, url: string): AppError {
  const cloud = cloudErrorOf(response);
  if (response.status === 403) return new AppError('forbidden', 'licensing.cloud.badCode', { params: { code } });
  if (response.status === 429) return new AppError('unavailable', 'licensing.cloud.tooManyAttempts', { params: { url } });
  return new AppError('unavailable', 'licensing.cloud.activationRefused', { params: { url, status: response.status, reason: cloud.message } });
}
