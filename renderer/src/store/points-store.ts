// Points (tags) of all devices and their latest values, kept live from samples.appended.
import { create } from 'zustand';
import type { LatestValue, PointView } from '../../../shared/contract/calls.ts';
import type { Point, Sample } from '../../../shared/domain/devices.ts';

interface PointsState {
  points: Point[];
  latest: Record<string, LatestValue>;
  setPoints(views: PointView[]): void;
  applySamples(samples: readonly Sample[]): void;
}

export const usePointsStore = create<PointsState>()((set) => ({
  points: [],
  latest: {},
  setPoints: (views) => {
    const latest: Record<string, LatestValue> = {};
    const points = views.map(({ latest: value, ...point }) => {
      if (value) latest[point.id] = value;
      return point;
    });
    set({ points, latest });
  },
  applySamples: (samples) =>
    set((state) => {
      const latest = { ...state.latest };
      for (const { pointId, ts, value, quality } of samples) {
        const previous = latest[pointId];
        if (!previous || previous.ts <= ts) latest[pointId] = { ts, value, quality };
      }
      return { latest };
    }),
}));
