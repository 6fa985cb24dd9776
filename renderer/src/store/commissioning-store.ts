// Which technician's windows are open: the commissioning workspace of one device (or of a new one),
// the write dialog of one point, the audit log. Opened from the live screen, which stays as it is.
import { create } from 'zustand';

export const COMMISSIONING_TABS = ['connection', 'map', 'traffic', 'health'] as const;
export type CommissioningTab = (typeof COMMISSIONING_TABS)[number];

export interface EditingSession {
  /** Changes each time the workspace opens, so it starts fresh. */
  session: number;
  /** The device being edited; null until a new device is first saved. */
  deviceId: string | null;
  tab: CommissioningTab;
}

interface CommissioningState {
  editing: EditingSession | null;
  writePointId: string | null;
  auditOpen: boolean;
  openNew(): void;
  openDevice(deviceId: string, tab?: CommissioningTab): void;
  /** The new device got its id when it was first saved. */
  saved(deviceId: string): void;
  setTab(tab: CommissioningTab): void;
  close(): void;
  openWrite(pointId: string): void;
  closeWrite(): void;
  setAuditOpen(open: boolean): void;
}

let sessions = 0;

export const useCommissioningStore = create<CommissioningState>()((set) => ({
  editing: null,
  writePointId: null,
  auditOpen: false,
  openNew: () => set({ editing: { session: ++sessions, deviceId: null, tab: 'connection' } }),
  openDevice: (deviceId, tab = 'connection') => set({ editing: { session: ++sessions, deviceId, tab } }),
  saved: (deviceId) => set((state) => (state.editing ? { editing: { ...state.editing, deviceId } } : {})),
  setTab: (tab) => set((state) => (state.editing ? { editing: { ...state.editing, tab } } : {})),
  close: () => set({ editing: null }),
  openWrite: (pointId) => set({ writePointId: pointId }),
  closeWrite: () => set({ writePointId: null }),
  setAuditOpen: (open) => set({ auditOpen: open }),
}));
