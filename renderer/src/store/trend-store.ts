// What the trend shows: the points chosen per device (the defaults until the user clicks), and the
// loaded 10-minute window of each.
//
// A device's choice is kept as colour slots: a point keeps its slot (and so its line colour) while
// it stays in the trend, and a point added later takes the first free slot.
import { create } from 'zustand';
import type { Point } from '../../../shared/domain/devices.ts';
import { defaultTrendPoints, type TrendWindows } from './trend-window.ts';

/** At most this many lines in one trend: more is unreadable (and the historian takes 20). */
export const MAX_TREND_POINTS = 8;

export type TrendStatus = 'idle' | 'loading' | 'ready';

/** Point ids by colour slot; null is a free slot. */
export type TrendSlots = readonly (string | null)[];

interface TrendState {
  /** Slots the user chose, per device; a device missing here shows its defaults. */
  chosen: Record<string, TrendSlots>;
  /** Points whose windows are loaded (or loading). */
  pointIds: string[];
  windows: TrendWindows;
  /** Width of one historian chart point per point id; 0 for raw samples. */
  bucketMs: Readonly<Record<string, number>>;
  status: TrendStatus;
  toggle(deviceId: string, pointId: string, current: TrendSlots): void;
}

/**
 * The slots after clicking `pointId`: out if it was in, else into the first free slot. When all
 * slots are taken the click changes nothing.
 */
export function toggleSlot(slots: TrendSlots, pointId: string, maxSlots = MAX_TREND_POINTS): TrendSlots {
  const index = slots.indexOf(pointId);
  let next: (string | null)[];
  if (index >= 0) {
    next = slots.map((id) => (id === pointId ? null : id));
  } else {
    next = [...slots];
    const free = next.indexOf(null);
    if (free >= 0) next[free] = pointId;
    else if (next.length < maxSlots) next.push(pointId);
    else return slots;
  }
  while (next.length > 0 && next.at(-1) === null) next.pop();
  return next;
}

export const useTrendStore = create<TrendState>()((set) => ({
  chosen: {},
  pointIds: [],
  windows: {},
  bucketMs: {},
  status: 'idle',
  toggle: (deviceId, pointId, current) =>
    set((state) => ({ chosen: { ...state.chosen, [deviceId]: toggleSlot(current, pointId) } })),
}));

/** The colour slots of a device's trend: the user's choice (of points that still exist), or the defaults. */
export function trendSlots(chosen: Record<string, TrendSlots>, deviceId: string, devicePoints: readonly Point[]): TrendSlots {
  const slots = chosen[deviceId];
  if (!slots) return defaultTrendPoints(devicePoints);
  return slots.map((id) => (id !== null && devicePoints.some((point) => point.id === id) ? id : null));
}
