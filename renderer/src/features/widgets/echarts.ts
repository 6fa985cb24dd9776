// ECharts for the dashboard: the trend's build (lines, axes, tooltip) plus the gauge, bars and the
// custom series of the state timeline, registered once on the same core.
import { BarChart, CustomChart, GaugeChart } from 'echarts/charts';
import { echarts } from '../trend/echarts.ts';

echarts.use([BarChart, GaugeChart, CustomChart]);

export { echarts };
