import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { seriesChartOption, type SeriesPoint } from '../../lib/stats';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

/** The progress line chart; loaded on its own so ECharts stays out of the other pages' bundle. */
export default function SeriesChart({ points, interval, phone }: { points: SeriesPoint[]; interval: 'day' | 'week' | 'half_month' | 'month'; phone: boolean }) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={seriesChartOption(points, { phone, interval })}
      notMerge
      style={{ width: '100%', height: phone ? 260 : 360 }}
      aria-label="进度趋势图"
    />
  );
}
