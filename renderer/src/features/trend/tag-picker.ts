// What the tag picker lists: every device's numeric points, grouped by device in the device list's
// order, filtered by what the user typed (in the point's or the device's name, any case), and why a
// point cannot be added when it cannot (eight lines, or a fifth unit).
import type { Point } from '../../../../shared/domain/devices.ts';
import { isNumericPoint } from '../../format/format-value.ts';
import { MAX_TREND_POINTS } from '../../store/trend-store.ts';
import { unitFits } from './unit-axes.ts';

export interface PickerGroup {
  deviceId: string;
  deviceName: string;
  points: Point[];
}

/** Lower case without accents or width differences, so "ａ" finds "a" and "é" finds "e". */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The picker's groups: devices in `devices` order, each with its numeric points that match
 * `search` (every word of it, in the point's name, unit or device name). Devices with no match are left out.
 * @example pickerGroups(points, devices, 'spindle') // → [{ deviceName: 'CNC-1', points: [Spindle speed, Spindle load] }]
 */
export function pickerGroups(points: readonly Point[], devices: readonly { id: string; name: string }[], search: string): PickerGroup[] {
  const words = fold(search).split(/\s+/).filter(Boolean);
  const groups: PickerGroup[] = [];
  const known = new Set(devices.map((device) => device.id));
  const order = [...devices, ...[...new Set(points.map((point) => point.deviceId))].filter((id) => !known.has(id)).map((id) => ({ id, name: id }))];
  for (const device of order) {
    const deviceText = fold(device.name);
    const matching = points.filter((point) => {
      if (point.deviceId !== device.id || !isNumericPoint(point)) return false;
      const text = `${fold(point.name)} ${fold(point.unit)} ${deviceText}`;
      return words.every((word) => text.includes(word));
    });
    if (matching.length > 0) groups.push({ deviceId: device.id, deviceName: device.name, points: matching });
  }
  return groups;
}

export type PickBlock = 'full' | 'units' | null;

/** Why `point` cannot join the chosen points: eight lines already, or its unit would be a fifth axis. */
export function pickBlock(point: Pick<Point, 'id' | 'unit'>, chosen: readonly Pick<Point, 'id' | 'unit'>[]): PickBlock {
  if (chosen.some((one) => one.id === point.id)) return null;
  if (chosen.length >= MAX_TREND_POINTS) return 'full';
  if (!unitFits(chosen.map((one) => one.unit), point.unit)) return 'units';
  return null;
}
