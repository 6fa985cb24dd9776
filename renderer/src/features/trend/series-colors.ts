// Line colours of the trend, also shown as swatches in the live values table so a row and its line
// match. A point keeps its colour (by its place in the device) whatever else is in the trend.
export const SERIES_COLORS = ['#1f6fd1', '#e07b00', '#2e8b57', '#8e44ad', '#c0392b', '#00838f', '#7a5c3e', '#d81b60'] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[((index % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length]!;
}
