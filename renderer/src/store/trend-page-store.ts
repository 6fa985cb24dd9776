// The Trends page's state: which points are on the chart (by colour slot, over all devices), the
// range and the zoom, and the history loaded for them. The choice of points and range outlives
// leaving the page, and is remembered on this computer for the next start.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { CustomRange, RangePreset } from '../features/trend/time-ranges.ts';
import type { LoadedHistory, Zoom } from '../features/trend/view-query.ts';
import { MAX_TREND_POINTS, toggleSlot, type TrendSlots } from './trend-store.ts';
import type { HistoryLines } from './trend-series.ts';

export type TrendPageStatus = 'idle' | 'loading' | 'ready';

interface TrendPageState {
  /** Point ids by colour slot; null is a free slot. */
  slots: TrendSlots;
  /** False until the first visit filled the slots (from the live view's trend) or the user chose. */
  seeded: boolean;
  preset: RangePreset;
  /** The from/to of the custom range, once one was applied. */
  custom: CustomRange | null;
  zoom: Zoom | null;
  /** History of the points on the chart, by point id. */
  lines: HistoryLines;
  /** The query `lines` answer, with the key of the points and range it was for; null before the first answer. */
  loaded: (LoadedHistory & { key: string }) | null;
  status: TrendPageStatus;
  toggle(pointId: string): void;
  clear(): void;
  seed(pointIds: readonly string[]): void;
  setPreset(preset: RangePreset): void;
  setCustom(range: CustomRange): void;
  setZoom(zoom: Zoom | null): void;
}

export const useTrendPageStore = create<TrendPageState>()(
  persist(
    (set) => ({
      slots: [],
      seeded: false,
      preset: 'lastHour',
      custom: null,
      zoom: null,
      lines: {},
      loaded: null,
      status: 'idle',
      toggle: (pointId) => set((state) => ({ slots: toggleSlot(state.slots, pointId, MAX_TREND_POINTS), seeded: true })),
      clear: () => set({ slots: [], seeded: true }),
      seed: (pointIds) => set((state) => (state.seeded ? {} : { slots: pointIds.slice(0, MAX_TREND_POINTS), seeded: true })),
      setPreset: (preset) => set({ preset, zoom: null }),
      setCustom: (range) => set({ preset: 'custom', custom: range, zoom: null }),
      setZoom: (zoom) => set({ zoom }),
    }),
    {
      name: 'plantdesk.trends',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ slots: state.slots, seeded: state.seeded, preset: state.preset, custom: state.custom }),
    },
  ),
);

/** The points on the chart in slot order (the first chosen first), with their slot for the colour. */
export function chosenPoints(slots: TrendSlots): { pointId: string; slot: number }[] {
  const chosen: { pointId: string; slot: number }[] = [];
  slots.forEach((pointId, slot) => {
    if (pointId !== null) chosen.push({ pointId, slot });
  });
  return chosen;
}
