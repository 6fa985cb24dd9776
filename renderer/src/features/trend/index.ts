// The trend feature: the live view's trend panel and the Trends page.
export { TrendPanel } from './TrendPanel.tsx';
export { TrendsPage } from './TrendsPage.tsx';
export { seriesColor, SERIES_COLORS } from './series-colors.ts';
