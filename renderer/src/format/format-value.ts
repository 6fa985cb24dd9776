// How a point's value reads on screen: integers without decimals, scaled registers with the
// resolution of their scale, floats with 1 to 3 decimals by magnitude, so a live table does not jitter
// between "229.87" and "229.9".
import type { LatestValue } from '../../../shared/contract/calls.ts';
import type { Point } from '../../../shared/domain/devices.ts';

const INTEGER_TYPES: ReadonlySet<string> = new Set(['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);

/** Data types a trend can draw. */
const NUMERIC_TYPES: ReadonlySet<string> = new Set([...INTEGER_TYPES, 'float32', 'float64', 'bool', 'bit']);

export type PointFormat = Pick<Point, 'dataType' | 'scale' | 'offset'>;

/** True for points whose values are numbers (everything but strings). */
export function isNumericPoint(point: Pick<Point, 'dataType'>): boolean {
  return NUMERIC_TYPES.has(point.dataType);
}

/** Decimal places of a number as written, up to 6: 0.1 → 1, 0.25 → 2, 10 → 0. */
export function decimalPlaces(value: number): number {
  for (let places = 0; places <= 6; places++) {
    const scaled = value * 10 ** places;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return places;
  }
  return 6;
}

/**
 * Decimals to show for `value` of `point`.
 * @example decimalsFor({ dataType: 'uint16', scale: 0.1, offset: 0 }, 215.3) // → 1
 * @example decimalsFor({ dataType: 'float32', scale: 1, offset: 0 }, 0.923)  // → 3
 */
export function decimalsFor(point: PointFormat, value: number): number {
  if (point.dataType === 'bool' || point.dataType === 'bit') return 0;
  if (INTEGER_TYPES.has(point.dataType)) {
    // A scaled integer register carries exactly the resolution of its scale: 0.1 → one decimal.
    return Math.min(3, Math.max(decimalPlaces(point.scale), decimalPlaces(point.offset)));
  }
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return 1;
  if (magnitude >= 10) return 2;
  return 3;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Formats a number with exactly `decimals` decimals and digit grouping, in `locale`. */
export function formatNumber(value: number, decimals: number, locale: string): string {
  if (!Number.isFinite(value)) return String(value);
  const cacheKey = `${locale}|${decimals}`;
  let format = numberFormats.get(cacheKey);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(cacheKey, format);
  }
  return format.format(value);
}

/**
 * A point's value as text, or null when there is no value (the caller shows a dash).
 * @example formatPointValue(1234, { dataType: 'uint32', scale: 1, offset: 0 }, 'en') // → '1,234'
 */
export function formatPointValue(value: LatestValue['value'], point: PointFormat, locale: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  // A float too small or too large for fixed decimals ("0.000", 25 digits) shows four significant digits.
  const magnitude = Math.abs(value);
  if ((point.dataType === 'float32' || point.dataType === 'float64') && magnitude !== 0 && (magnitude < 0.001 || magnitude >= 1e12)) {
    return value.toExponential(3);
  }
  return formatNumber(value, decimalsFor(point, value), locale);
}

/** A tick on a chart axis: as few decimals as the tick needs (ticks are round numbers), at most 3. */
export function formatAxisNumber(value: number, locale: string): string {
  return formatNumber(value, Math.min(3, decimalPlaces(value)), locale);
}

/** The UI ages values with the same rule as the core (a good value with no newer sample goes stale). */
export { effectiveQuality } from '../../../shared/domain/devices.ts';
