// The value a technician types for a write, checked before the confirm step: a number that fits the
// point's type after scaling, on/off for bits and coils, text for strings.
import type { Point } from '../../../../shared/domain/devices.ts';
import { parseNumberText, type FieldMessage } from '../../validation/schema-errors.ts';

type WritePoint = Pick<Point, 'dataType' | 'scale' | 'offset' | 'length'>;

const RAW_RANGES: Partial<Record<Point['dataType'], [number, number]>> = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

const rounded = (value: number) => Number.parseFloat(value.toPrecision(12));

/** True for points written as on/off. */
export function isSwitchPoint(point: Pick<Point, 'dataType'>): boolean {
  return point.dataType === 'bool' || point.dataType === 'bit';
}

/**
 * The value to send to points.write, or why it cannot be written.
 * @example parseWriteValue('80', { dataType: 'uint16', scale: 1, offset: 0 }) // → { ok: true, value: 80 }
 */
export function parseWriteValue(text: string, point: WritePoint): { ok: true; value: number | string } | { ok: false; error: FieldMessage } {
  if (point.dataType === 'string') {
    const max = (point.length ?? 1) * 2;
    return text.length > max ? { ok: false, error: { key: 'form.tooLong', params: { max } } } : { ok: true, value: text };
  }
  if (isSwitchPoint(point)) {
    if (text === '1' || text === '0') return { ok: true, value: Number(text) };
    return { ok: false, error: { key: 'write.pickOnOff' } };
  }
  const parsed = parseNumberText(text);
  if (!parsed.ok) return parsed;
  const range = RAW_RANGES[point.dataType];
  if (range) {
    const scale = point.scale || 1;
    const raw = (parsed.value - point.offset) / scale;
    const ends = [rounded(range[0] * scale + point.offset), rounded(range[1] * scale + point.offset)].sort((a, b) => a - b) as [number, number];
    if (raw < range[0] - 1e-9 || raw > range[1] + 1e-9) return { ok: false, error: { key: 'form.range', params: { min: ends[0], max: ends[1] } } };
    if (Math.abs(raw - Math.round(raw)) > 1e-6) {
      return { ok: false, error: { key: 'write.resolution', params: { step: rounded(Math.abs(scale)) } } };
    }
  }
  return { ok: true, value: parsed.value };
}
