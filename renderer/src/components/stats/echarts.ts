/**
 * Apache ECharts, only what the statistics page draws (tree-shaken): bar, funnel and heatmap charts on a grid,
 * with tooltips, a legend and the heatmap's scale, painted on canvas. Tooltips are drawn on the canvas too
 * (`renderMode: 'richText'` in every option): ECharts' HTML tooltips carry style attributes the CSP refuses.
 */
import { init, use } from 'echarts/core';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { BarChart, FunnelChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, FunnelChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { init };
export type { EChartsCoreOption, EChartsType };

/** The colours a chart is drawn in, read from the page's CSS variables (light or dark theme). */
export interface ChartTheme {
  text: string;
  muted: string;
  border: string;
  background: string;
  sent: string;
  delivered: string;
  read: string;
  received: string;
  failed: string;
  onSeries: string;
  heatLow: string;
  heatHigh: string;
  fontFamily: string;
}

export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1a1f24'),
    muted: v('--text-muted', '#4d5662'),
    border: v('--border', '#d3d9df'),
    background: v('--bg', '#ffffff'),
    sent: v('--chart-sent', '#0a6a4a'),
    delivered: v('--chart-delivered', '#177f5c'),
    read: v('--chart-read', '#2a9470'),
    received: v('--chart-received', '#2f66c2'),
    failed: v('--chart-failed', '#b3261e'),
    onSeries: v('--chart-on-series', '#ffffff'),
    heatLow: v('--chart-heat-low', '#eef5f1'),
    heatHigh: v('--chart-heat-high', '#07573c'),
    fontFamily: style.fontFamily || 'sans-serif',
  };
}

/** Canvas charts need a 2D canvas; without one (never in the app) the page shows the figures without pictures. */
export function canvasAvailable(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}
