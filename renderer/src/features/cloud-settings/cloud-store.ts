// This PC's standing with the PlantDesk cloud as the whole UI shares it — activation, the sync and
// every template's licence — for the header's sync indicator, the licence banner and Settings →
// Cloud and licences. Kept in step by sync.statusChanged and licences.changed, and read again when
// the live link comes back (events sent while it was down are lost).
import { create } from 'zustand';
import { CallFailedError } from '../../../../shared/contract/bridge.ts';
import type { CloudStatus, SyncStatus, TemplateLicence } from '../../../../shared/contract/licence-calls.ts';
import type { LocalisedText } from '../../../../shared/cloud/common.ts';
import { bridge, connection } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { reportError } from '../../app/report-error.ts';
import { i18n } from '../../i18n.ts';

interface CloudState {
  status: CloudStatus | null;
  sync: SyncStatus | null;
  licences: TemplateLicence[];
  /** Installed templates' names by template id, for sentences about a licence. */
  templateNames: Record<string, LocalisedText>;
  /** The core does not serve the cloud calls (an older core): the indicator and banner say nothing. */
  unavailable: boolean;
  /** Why cloud.status could not be read, as the core's sentence; null after a good read. */
  problem: string | null;
}

export const useCloudStore = create<CloudState>()(() => ({
  status: null,
  sync: null,
  licences: [],
  templateNames: {},
  unavailable: false,
  problem: null,
}));

const set = useCloudStore.setState;
const unknownCall = (error: unknown) => error instanceof CallFailedError && error.body.code === 'not_found';

function failed(error: unknown): void {
  if (unknownCall(error)) set({ unavailable: true });
  else reportError(error);
}

/** Reads cloud.status (with the sync inside it). */
export async function loadCloudStatus(): Promise<void> {
  try {
    const status = await bridge.call('cloud.status', {});
    set({ status, sync: status.sync, unavailable: false, problem: null });
  } catch (error) {
    set({ problem: callErrorMessage(error, i18n.t('store.loadFailed')) });
    failed(error);
  }
}

/** Reads every licence and the names of the installed templates they are for. */
export async function loadLicences(): Promise<void> {
  try {
    const [{ licences }, installed] = await Promise.all([bridge.call('licences.list', {}), bridge.call('templates.installed', {}).catch(() => ({ instances: [] }))]);
    const templateNames: Record<string, LocalisedText> = {};
    for (const instance of installed.instances) templateNames[instance.templateId] = instance.name;
    set({ licences, templateNames });
  } catch (error) {
    failed(error);
  }
}

/** Keeps a status answer from another call (activation, setting the address). */
export function keepCloudStatus(status: CloudStatus): void {
  set({ status, sync: status.sync, problem: null });
}

/** Keeps a sync answer (sync.now) and the status that carries it. */
export function keepSyncStatus(sync: SyncStatus): void {
  set((state) => ({ sync, status: state.status ? { ...state.status, sync } : state.status }));
}

/** Keeps licences returned by a call (an import). */
export function keepLicences(licences: TemplateLicence[]): void {
  set({ licences });
}

/** Starts following the cloud status, sync and licences; returns the function that stops. */
export function startCloudFeed(): () => void {
  let previous = connection.state();
  const stops = [
    bridge.on('sync.statusChanged', (sync) => keepSyncStatus(sync)),
    bridge.on('licences.changed', () => void loadLicences()),
    bridge.on('templates.changed', () => void loadLicences()),
    connection.subscribe((state) => {
      if (state === 'open' && previous !== 'open') {
        void loadCloudStatus();
        void loadLicences();
      }
      previous = state;
    }),
  ];
  void loadCloudStatus();
  void loadLicences();
  return () => {
    for (const stop of stops) stop();
  };
}
