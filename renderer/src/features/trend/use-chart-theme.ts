// The registered ECharts theme for the app's current colour theme, for charts to init and re-theme with.
import { useThemeStore } from '../../store/index.ts';
import { CHART_THEME_NAMES } from './chart-theme.ts';

export function useChartTheme(): string {
  return CHART_THEME_NAMES[useThemeStore((state) => state.resolved)];
}
