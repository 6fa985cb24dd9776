// The selected device, its points and the points in its trend with their colours, as the table and
// the chart share them.
import { useMemo } from 'react';
import type { Point } from '../../../../shared/domain/devices.ts';
import { trendSlots, useDevicesStore, usePointsStore, useThemeStore, useTrendStore } from '../../store/index.ts';
import { seriesColor } from './series-colors.ts';

export interface TrendSelection {
  deviceId: string | null;
  devicePoints: readonly Point[];
  /** Points in the trend, in the order of their colour slots (first chosen first). */
  selectedIds: readonly string[];
  /** Line colour of each point in the trend. */
  colors: ReadonlyMap<string, string>;
  toggle(pointId: string): void;
}

export function useTrendSelection(): TrendSelection {
  const deviceId = useDevicesStore((state) => state.selectedDeviceId);
  const points = usePointsStore((state) => state.points);
  const chosen = useTrendStore((state) => state.chosen);
  const toggle = useTrendStore((state) => state.toggle);
  const theme = useThemeStore((state) => state.resolved);
  const devicePoints = useMemo(() => points.filter((point) => point.deviceId === deviceId), [points, deviceId]);
  const slots = useMemo(() => (deviceId ? trendSlots(chosen, deviceId, devicePoints) : []), [chosen, deviceId, devicePoints]);
  const { selectedIds, colors } = useMemo(() => {
    const colorMap = new Map<string, string>();
    slots.forEach((id, slot) => {
      if (id !== null) colorMap.set(id, seriesColor(slot, theme));
    });
    return { selectedIds: [...colorMap.keys()], colors: colorMap };
  }, [slots, theme]);
  return {
    deviceId,
    devicePoints,
    selectedIds,
    colors,
    toggle: (pointId) => {
      if (deviceId) toggle(deviceId, pointId, slots);
    },
  };
}
