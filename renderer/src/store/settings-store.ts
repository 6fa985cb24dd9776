// The Settings window (open or not) and the database file's status (storage.status), which both the
// Storage section and the red banner on the main screen show.
import { create } from 'zustand';
import type { StorageStatus } from '../../../shared/contract/storage-calls.ts';

interface SettingsState {
  settingsOpen: boolean;
  /** The last storage.status answer; null until the first one arrives. */
  storage: StorageStatus | null;
  setSettingsOpen(open: boolean): void;
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settingsOpen: false,
  storage: null,
  setSettingsOpen: (open) => set({ settingsOpen: open }),
}));
