// Line colours of the trend, also shown as swatches in the live values table so a row and its line
// match. A point keeps its colour (by its place in the device) whatever else is in the trend. The dark
// theme has the same hues a step lighter, so lines and the axis labels drawn in them stay readable.
import type { ResolvedTheme } from '../../store/theme-setting.ts';

export const SERIES_COLORS = ['#1f6fd1', '#e07b00', '#2e8b57', '#8e44ad', '#c0392b', '#00838f', '#7a5c3e', '#d81b60'] as const;
export const SERIES_COLORS_DARK = ['#6aa9f4', '#f5a04a', '#4fc27f', '#bf94e6', '#f0776b', '#3cc4cf', '#c9a27e', '#f27aa6'] as const;

export function seriesColor(index: number, theme: ResolvedTheme = 'light'): string {
  const colors = theme === 'dark' ? SERIES_COLORS_DARK : SERIES_COLORS;
  return colors[((index % colors.length) + colors.length) % colors.length]!;
}
