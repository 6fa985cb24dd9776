// The trend feature.
export { TrendPanel } from './TrendPanel.tsx';
export { seriesColor, SERIES_COLORS } from './series-colors.ts';
