/**
 * The statistics charts' options and the page's wording of numbers: tooltips drawn on the canvas (ECharts' HTML
 * tooltips carry style attributes the CSP refuses), cells and layers where a click expects them, waits in words.
 */
import { describe, expect, it } from 'vitest';
import type { ComposerTranslation } from 'vue-i18n';
import { createAppI18n } from '../../../renderer/src/i18n';
import { barsOption, funnelOption, heatmapOption } from '../../../renderer/src/components/stats/chart-options';
import type { ChartTheme } from '../../../renderer/src/components/stats/echarts';
import { bucketFigure } from '../../../renderer/src/components/stats/drill-title';
import { formatDuration, weekdayNames } from '../../../renderer/src/utils/stats-format';

const theme: ChartTheme = {
  text: '#111',
  muted: '#555',
  border: '#ccc',
  background: '#fff',
  sent: '#0a0',
  delivered: '#0b0',
  read: '#0c0',
  received: '#00a',
  failed: '#a00',
  onSeries: '#fff',
  heatLow: '#eee',
  heatHigh: '#050',
  fontFamily: 'sans-serif',
};

type Option = { tooltip: { renderMode: string }; series: Array<{ type: string; data: unknown[]; sort?: string }>; visualMap?: { max: number } };

describe('chart options', () => {
  it('draw every tooltip on the canvas, never as HTML', () => {
    const options = [
      funnelOption({ sent: 10, delivered: 8, read: 5 }, { sent: 'Sent', delivered: 'Delivered', read: 'Read' }, ['a', 'b', 'c'])(theme),
      barsOption(['Mon'], [{ name: 'Sent', data: [3], colour: 'sent' }])(theme),
      heatmapOption(new Array<number>(168).fill(0), { weekdays: [], hours: [], more: 'More', fewer: 'Fewer' }, () => '')(theme),
    ] as unknown as Option[];
    for (const option of options) expect(option.tooltip.renderMode).toBe('richText');
  });

  it('keep the funnel in the order sent → delivered → read, in the theme’s colours', () => {
    const option = funnelOption({ sent: 10, delivered: 8, read: 5 }, { sent: 'Sent', delivered: 'Delivered', read: 'Read' }, ['a', 'b', 'c'])(theme) as unknown as Option;
    expect(option.series[0]!.sort).toBe('none');
    expect(option.series[0]!.data).toEqual([
      { name: 'Sent', value: 10, itemStyle: { color: '#0a0' } },
      { name: 'Delivered', value: 8, itemStyle: { color: '#0b0' } },
      { name: 'Read', value: 5, itemStyle: { color: '#0c0' } },
    ]);
  });

  it('put each hour-of-week cell at [hour, weekday] and scale to the busiest', () => {
    const cells = new Array<number>(168).fill(0);
    cells[9] = 4;
    cells[6 * 24 + 23] = 7;
    const option = heatmapOption(cells, { weekdays: [], hours: [], more: 'More', fewer: 'Fewer' }, () => '')(theme) as unknown as Option;
    const data = option.series[0]!.data as Array<[number, number, number]>;
    expect(data).toHaveLength(168);
    expect(data[9]).toEqual([9, 0, 4]);
    expect(data[167]).toEqual([23, 6, 7]);
    expect(option.visualMap!.max).toBe(7);
  });

  it('turn a bar of the response-time chart into its range of waits', () => {
    expect(bucketFigure('firstResponse', 0, false)).toEqual({ metric: 'answered', measure: 'firstResponse', businessHours: false, minMs: 0, maxMs: 60_000 });
    // The last bar has no upper end.
    expect(bucketFigure('replyTime', 6, true)).toEqual({ metric: 'answered', measure: 'replyTime', businessHours: true, minMs: 86_400_000 });
  });
});

describe('numbers in words', () => {
  it('write waits the way people say them, in English and Chinese', () => {
    // The app's own messages, as a component's `t` would give them.
    const en = createAppI18n('en').global.t as unknown as ComposerTranslation;
    const zh = createAppI18n('zh-CN').global.t as unknown as ComposerTranslation;
    const minute = 60_000;
    expect(formatDuration(null, en)).toBe('—');
    expect(formatDuration(45_000, en)).toBe('45 s');
    expect(formatDuration(32 * minute, en)).toBe('32 min');
    expect(formatDuration(60 * minute, en)).toBe('1 h');
    expect(formatDuration(64 * minute, en)).toBe('1 h 4 min');
    expect(formatDuration(119.8 * minute, en)).toBe('2 h');
    expect(formatDuration(40 * 60 * minute, en)).toBe('1 d 16 h');
    expect(formatDuration(64 * minute, zh)).toBe('1 小时 4 分钟');
    expect(formatDuration(2 * 24 * 60 * minute, zh)).toBe('2 天');
  });

  it('name the weekdays Monday first, as the statistics count them', () => {
    expect(weekdayNames('en')).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(weekdayNames('zh-CN', 'long')[0]).toBe('星期一');
  });
});
