// Opening Settings at "Cloud and licences" from elsewhere (the header's sync indicator, the licence
// banner, the Marketplace's "activate this PC"): the section asked for is kept until Settings opens.
import { create } from 'zustand';
import { useSettingsStore } from '../../store/index.ts';

interface SectionRequest {
  /** The Settings section to show when it opens next; null: the first one. */
  requested: 'cloud' | null;
}

export const useSettingsSectionRequest = create<SectionRequest>()(() => ({ requested: null }));

/** Opens Settings at Cloud and licences. */
export function openCloudSettings(): void {
  useSettingsSectionRequest.setState({ requested: 'cloud' });
  useSettingsStore.getState().setSettingsOpen(true);
}

/** The section asked for, if any (Settings reads it as it opens). */
export function requestedSection(): 'cloud' | null {
  return useSettingsSectionRequest.getState().requested;
}

/** Forgets the request once Settings has opened at it. */
export function clearRequestedSection(): void {
  useSettingsSectionRequest.setState({ requested: null });
}
