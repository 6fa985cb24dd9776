// What the app knows about the core it talks to: app.info, the clock difference to it, and the state
// of the live link. The clock offset matters on LAN tablets whose clocks drift from the plant PC.
import { create } from 'zustand';
import type { CallOutput } from '../../../shared/contract/calls.ts';
import type { ConnectionState } from '../api/connection.ts';

export type AppInfo = CallOutput<'app.info'>;

interface AppState {
  info: AppInfo | null;
  /** Core clock minus this computer's clock, in ms. */
  clockOffsetMs: number;
  connection: ConnectionState;
  /** True once devices and points were loaded for the first time. */
  loaded: boolean;
}

export const useAppStore = create<AppState>()(() => ({
  info: null,
  clockOffsetMs: 0,
  connection: 'connecting',
  loaded: false,
}));

/** The core's current time, as this computer estimates it. */
export function coreNow(): number {
  return Date.now() + useAppStore.getState().clockOffsetMs;
}
