import type { ChartTheme, EChartsCoreOption } from './echarts';

/**
 * The statistics page's chart options, built from its figures and words (already translated) and the theme.
 * Every tooltip is drawn on the canvas (`richText`): no HTML, so nothing the CSP would refuse.
 */

function base(theme: ChartTheme): EChartsCoreOption {
  return {
    animationDuration: 300,
    textStyle: { color: theme.text, fontFamily: theme.fontFamily },
    tooltip: {
      renderMode: 'richText',
      backgroundColor: theme.background,
      borderColor: theme.border,
      textStyle: { color: theme.text, fontFamily: theme.fontFamily },
    },
  };
}

function axisStyle(theme: ChartTheme) {
  return {
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { lineStyle: { color: theme.border } },
    axisLabel: { color: theme.muted },
    splitLine: { lineStyle: { color: theme.border, opacity: 0.6 } },
  };
}

/** Sent → delivered → read; `labels` are what each layer says (its name, count and share). */
export function funnelOption(counts: { sent: number; delivered: number; read: number }, names: { sent: string; delivered: string; read: string }, labels: [string, string, string]) {
  return (theme: ChartTheme): EChartsCoreOption => ({
    ...base(theme),
    tooltip: { ...(base(theme).tooltip as object), trigger: 'item' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        min: 0,
        max: Math.max(counts.sent, 1),
        minSize: '12%',
        left: '8%',
        right: '8%',
        top: 8,
        bottom: 8,
        gap: 3,
        label: { position: 'inside', color: theme.onSeries, fontWeight: 'bold', fontSize: 13, formatter: (p: { dataIndex: number }) => labels[p.dataIndex] ?? '' },
        itemStyle: { borderWidth: 0 },
        emphasis: { label: { fontSize: 14 } },
        data: [
          { name: names.sent, value: counts.sent, itemStyle: { color: theme.sent } },
          { name: names.delivered, value: counts.delivered, itemStyle: { color: theme.delivered } },
          { name: names.read, value: counts.read, itemStyle: { color: theme.read } },
        ],
      },
    ],
  });
}

/** Grouped bars: one category per entry of `categories`, one series per entry of `series`. */
export function barsOption(categories: string[], series: Array<{ name: string; data: number[]; colour: keyof ChartTheme }>, options: { rotate?: number } = {}) {
  return (theme: ChartTheme): EChartsCoreOption => ({
    ...base(theme),
    tooltip: { ...(base(theme).tooltip as object), trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { color: theme.text }, itemWidth: 14, itemHeight: 10 },
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    xAxis: { type: 'category', data: categories, ...axisStyle(theme), axisLabel: { color: theme.muted, hideOverlap: true, rotate: options.rotate ?? 0 } },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle(theme) },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.data,
      barMaxWidth: 28,
      itemStyle: { color: theme[s.colour], borderRadius: [3, 3, 0, 0] },
      emphasis: { focus: 'series' },
    })),
  });
}

/** Weekdays down, hours across, darker = more messages; cells are [hour, weekday, count]. */
export function heatmapOption(
  hourOfWeek: readonly number[],
  words: { weekdays: string[]; hours: string[]; more: string; fewer: string },
  cellText: (weekday: number, hour: number, count: number) => string,
) {
  const { weekdays, hours } = words;
  const cells = hourOfWeek.map((value, index) => [index % 24, Math.floor(index / 24), value]);
  const max = Math.max(1, ...hourOfWeek);
  return (theme: ChartTheme): EChartsCoreOption => ({
    ...base(theme),
    tooltip: {
      ...(base(theme).tooltip as object),
      trigger: 'item',
      formatter: (p: { data: [number, number, number] }) => cellText(p.data[1], p.data[0], p.data[2]),
    },
    grid: { left: 8, right: 8, top: 4, bottom: 44, containLabel: true },
    xAxis: { type: 'category', data: hours, splitArea: { show: false }, ...axisStyle(theme), axisLabel: { color: theme.muted, interval: 2 } },
    yAxis: { type: 'category', data: weekdays, inverse: true, ...axisStyle(theme) },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      itemWidth: 12,
      text: [words.more, words.fewer],
      textGap: 8,
      textStyle: { color: theme.muted },
      inRange: { color: [theme.heatLow, theme.heatHigh] },
    },
    series: [
      {
        type: 'heatmap',
        data: cells,
        itemStyle: { borderColor: theme.background, borderWidth: 2, borderRadius: 3 },
        emphasis: { itemStyle: { borderColor: theme.text, borderWidth: 1 } },
      },
    ],
  });
}
