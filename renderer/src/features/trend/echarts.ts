// ECharts with only what the trend uses, so the bundle carries no other chart types, and the app's
// light and dark themes registered once (chart-theme.ts).
import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { CHART_PALETTES, CHART_THEME_NAMES, chartTheme } from './chart-theme.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);
echarts.registerTheme(CHART_THEME_NAMES.light, chartTheme(CHART_PALETTES.light));
echarts.registerTheme(CHART_THEME_NAMES.dark, chartTheme(CHART_PALETTES.dark));

export { echarts };
