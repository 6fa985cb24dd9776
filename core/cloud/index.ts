// This PC and the PlantDesk cloud (issue 8 items 1 and 2): the fingerprint, where secrets are kept,
// activation and the machine identity, the licences verified offline, and the calls over them.
import type { SyncStatus } from '../../shared/contract/licence-calls.ts';
import type { Locale } from '../../shared/i18n/index.ts';
import type { CoreHost } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';
import { createCloudHandlers, type CloudHandlers } from './cloud-handlers.ts';
import { fingerprintOf, readMachineFacts, secretKeyMaterial, type MachineFacts } from './fingerprint.ts';
import { LicenceStore, type LicenceStoreDeps } from './licence-store.ts';
import { MachineIdentity } from './machine-identity.ts';
import { ProtectedFileSecretStore } from './secret-store.ts';
import type { CloudTransport } from './transport.ts';

export { cloudMigration } from './cloud-schema.ts';
export { createCloudHandlers, idleSyncStatus } from './cloud-handlers.ts';
export type { CloudCallName, CloudHandlerDeps, CloudHandlers } from './cloud-handlers.ts';
export { fingerprintOf, physicalMacAddresses, readMachineFacts, readOsInstallationId, secretKeyMaterial } from './fingerprint.ts';
export type { MachineFacts } from './fingerprint.ts';
export { LICENCE_CHECK_MS, LicenceStore, noLicence } from './licence-store.ts';
export type { LicenceStoreDeps } from './licence-store.ts';
export { MACHINE_KEY_SECRET, MachineIdentity } from './machine-identity.ts';
export type { IdentityView, MachineIdentityDeps } from './machine-identity.ts';
export { KeychainSecretStore, ProtectedFileSecretStore, secretsDir } from './secret-store.ts';
export type { SecretCipher, SecretStore } from './secret-store.ts';
export { CloudUnreachable, HttpTransport } from './transport.ts';
export type { CloudRequest, CloudResponse, CloudTransport, HttpTransportOptions, MachineSigner } from './transport.ts';

export interface CloudServicesOptions {
  host: CoreHost;
  /** The database the core runs on now (with cloudMigration applied); read at each use, as a restore replaces it. */
  db: () => Db;
  /** This PC's facts; read from the PC when absent (tests hand in another PC's). */
  facts?: MachineFacts;
  syncStatus?: (locale: Locale) => SyncStatus;
  unreported?: LicenceStoreDeps['unreported'];
  onLicencesChanged?: LicenceStoreDeps['onChanged'];
  clock?: LicenceStoreDeps['clock'];
  env?: Record<string, string | undefined>;
}

export interface CloudServices {
  identity: MachineIdentity;
  /** The one way the core talks to the cloud, signed with this PC's key once activated. */
  transport: CloudTransport;
  licences: LicenceStore;
  handlers: CloudHandlers;
  /** Stops the once-a-minute licence check. */
  close(): void;
}

/**
 * The machine identity, the licence store (its minute timer started) and the calls over them.
 * @example const cloud = await createCloudServices({ host, db }); handlers = { ...handlers, ...cloud.handlers }
 */
export async function createCloudServices(options: CloudServicesOptions): Promise<CloudServices> {
  const { host, db } = options;
  const facts = options.facts ?? (await readMachineFacts());
  // One Settings per database: a restored backup brings another file.
  let current: { db: Db; settings: Settings } | undefined;
  const settings = () => {
    const now = db();
    if (current?.db !== now) current = { db: now, settings: new Settings(now, host.logger) };
    return current.settings;
  };
  const secrets = host.secrets ?? new ProtectedFileSecretStore(host.dataDir, secretKeyMaterial(facts));
  const identity = await MachineIdentity.open({ settings, secrets, fingerprint: fingerprintOf(facts), logger: host.logger, ...(options.env ? { env: options.env } : {}) });
  const licences = new LicenceStore({
    db,
    settings,
    identity,
    logger: host.logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.unreported ? { unreported: options.unreported } : {}),
    ...(options.onLicencesChanged ? { onChanged: options.onLicencesChanged } : {}),
  });
  licences.start();
  const handlers = createCloudHandlers({ identity, licences, logger: host.logger, ...(options.syncStatus ? { syncStatus: options.syncStatus } : {}) });
  return { identity, transport: identity.transport, licences, handlers, close: () => licences.close() };
}
