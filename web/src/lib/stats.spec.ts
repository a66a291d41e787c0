import { exportPath, formatDays, formatRate, rankingPeriod, seriesChartOption, type Figures, type SeriesPoint } from './stats';

const zero: Figures = {
  found: 0,
  confirmed: 0,
  pendingReview: 0,
  rectifying: 0,
  pendingAcceptance: 0,
  closed: 0,
  dismissed: 0,
  overdue: 0,
  reopened: 0,
  rectificationRate: null,
  avgDaysToClose: null,
};

const day = (i: number) => new Date(Date.UTC(2021, 5, 1 + i)).toISOString().slice(0, 10);
const points = (n: number): SeriesPoint[] =>
  Array.from({ length: n }, (_, i) => ({ date: day(i), figures: { ...zero, found: i, closed: Math.floor(i / 2), overdue: i % 3 } }));

describe('formats', () => {
  it('shows 整改率 as a percentage and nothing-confirmed as a dash', () => {
    expect(formatRate(0.2857)).toBe('28.6%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(null)).toBe('—');
  });

  it('shows 平均销号天数 in days', () => {
    expect(formatDays(7)).toBe('7.0 天');
    expect(formatDays(2.25)).toBe('2.3 天');
    expect(formatDays(null)).toBe('—');
  });
});

describe('seriesChartOption', () => {
  it('draws one line per figure with Chinese names and the points in order', () => {
    const o = seriesChartOption(points(5), { phone: false, interval: 'day' });
    expect(o.legend.data).toEqual(['排查发现', '已确认', '已销号', '超期', '重新打开过']);
    expect(o.xAxis.data).toEqual(['06-01', '06-02', '06-03', '06-04', '06-05']);
    const found = o.series.find((s) => s.name === '排查发现')!;
    const overdue = o.series.find((s) => s.name === '超期')!;
    expect(found.data).toEqual([0, 1, 2, 3, 4]);
    expect(overdue.data).toEqual([0, 1, 2, 0, 1]);
    expect(o.dataZoom).toEqual([]);
  });

  it('opens a long series on its last month', () => {
    const o = seriesChartOption(points(124), { phone: true, interval: 'day' });
    expect(o.dataZoom[0].start).toBe(75);
    expect(o.dataZoom[0].end).toBe(100);
    expect(o.grid.top).toBeGreaterThan(seriesChartOption(points(124), { phone: false, interval: 'day' }).grid.top);
  });

  it('labels weekly points as Fridays', () => {
    expect(seriesChartOption(points(1), { phone: false, interval: 'week' }).xAxis.data).toEqual(['06-01（周五）']);
  });
});

describe('rankingPeriod', () => {
  it('gives this month so far and the whole of last month', () => {
    expect(rankingPeriod('thisMonth', '2021-07-15')).toEqual({ from: '2021-07-01', to: '2021-07-15' });
    expect(rankingPeriod('lastMonth', '2021-07-15')).toEqual({ from: '2021-06-01', to: '2021-06-30' });
    expect(rankingPeriod('lastMonth', '2024-03-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('crosses the year for January', () => {
    expect(rankingPeriod('lastMonth', '2022-01-10')).toEqual({ from: '2021-12-01', to: '2021-12-31' });
  });

  it('leaves the whole campaign to the server defaults', () => {
    expect(rankingPeriod('all', '2021-07-15')).toEqual({});
  });
});

describe('exportPath', () => {
  it('carries the set parameters only', () => {
    expect(exportPath('/api/campaigns/c/series.xlsx', { interval: 'week', townshipId: undefined, from: '2021-06-01', to: null })).toBe(
      '/api/campaigns/c/series.xlsx?interval=week&from=2021-06-01',
    );
    expect(exportPath('/api/campaigns/c/stats.xlsx', {})).toBe('/api/campaigns/c/stats.xlsx');
  });
});
