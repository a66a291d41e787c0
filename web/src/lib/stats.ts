/**
 * 统计 page arithmetic and wording: figure columns, rate and day formats, the
 * series chart's option, ranking periods. The figures themselves come from
 * the API (GET /api/campaigns/:id/stats, /series, /ranking).
 */

import type { Schemas } from '../api/client';

/** One group's figures as the API reports them (generated from the OpenAPI document). */
export type Figures = Schemas['FiguresResponse'];

export type CountKey = Exclude<keyof Figures, 'rectificationRate' | 'avgDaysToClose'>;

/** The count columns of the progress table, in the order the county's reports list them. */
export const COUNT_COLUMNS: ReadonlyArray<{ key: CountKey; label: string }> = [
  { key: 'found', label: '排查发现' },
  { key: 'confirmed', label: '已确认' },
  { key: 'pendingReview', label: '待审核' },
  { key: 'rectifying', label: '整改中' },
  { key: 'pendingAcceptance', label: '待验收' },
  { key: 'closed', label: '已销号' },
  { key: 'dismissed', label: '不予认定' },
  { key: 'overdue', label: '超期' },
  { key: 'reopened', label: '重新打开过' },
];

/** 整改率 as a percentage with one decimal; "—" when nothing was confirmed. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** 平均销号天数 with one decimal; "—" when nothing was closed. */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return '—';
  return `${days.toFixed(1)} 天`;
}

// ------------------------------------------------------------------ series

export interface SeriesPoint {
  date: string;
  figures: Figures;
}

/** The lines of the progress chart. */
export const SERIES_LINES: ReadonlyArray<{ key: CountKey; label: string; color: string }> = [
  { key: 'found', label: '排查发现', color: '#1677ff' },
  { key: 'confirmed', label: '已确认', color: '#faad14' },
  { key: 'closed', label: '已销号', color: '#52c41a' },
  { key: 'overdue', label: '超期', color: '#f5222d' },
  { key: 'reopened', label: '重新打开过', color: '#722ed1' },
];

/** Points a chart shows at once before it needs zooming (about a month of days). */
const VISIBLE_POINTS = 31;

/**
 * The ECharts option of the daily / Friday progress chart. Long series open
 * zoomed to their most recent month; a phone gets a smaller legend that wraps.
 */
export function seriesChartOption(points: SeriesPoint[], opts: { phone: boolean; interval: 'day' | 'week' | 'half_month' | 'month' }) {
  const zoomStart = points.length > VISIBLE_POINTS ? Math.floor((1 - VISIBLE_POINTS / points.length) * 100) : 0;
  return {
    color: SERIES_LINES.map((l) => l.color),
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: SERIES_LINES.map((l) => l.label), ...(opts.phone ? { itemWidth: 16, itemGap: 8, textStyle: { fontSize: 11 } } : {}) },
    // a phone's legend wraps onto a second line
    grid: { left: opts.phone ? 8 : 16, right: opts.phone ? 12 : 24, top: opts.phone ? 52 : 36, bottom: zoomStart > 0 ? 48 : 8, containLabel: true },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: points.map((p) => (opts.interval === 'week' ? `${p.date.slice(5)}（周五）` : p.date.slice(5))),
      name: '',
    },
    yAxis: { type: 'value', minInterval: 1 },
    dataZoom:
      zoomStart > 0
        ? [
            { type: 'inside', start: zoomStart, end: 100 },
            { type: 'slider', start: zoomStart, end: 100, height: 20, bottom: 8 },
          ]
        : [],
    series: SERIES_LINES.map((l) => ({
      name: l.label,
      type: 'line',
      smooth: false,
      showSymbol: points.length <= VISIBLE_POINTS,
      data: points.map((p) => p.figures[l.key]),
    })),
  };
}

// ----------------------------------------------------------------- ranking

export type RankingPeriod = 'all' | 'thisMonth' | 'lastMonth';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The from/to of a 月考评 period relative to `today` (YYYY-MM-DD): the whole
 * campaign up to today, this month so far, or all of last month.
 */
export function rankingPeriod(period: RankingPeriod, today: string): { from?: string; to?: string } {
  const [y, m] = today.split('-').map(Number);
  if (period === 'thisMonth') return { from: `${y}-${pad(m)}-01`, to: today };
  if (period === 'lastMonth') {
    const [ly, lm] = m === 1 ? [y - 1, 12] : [y, m - 1];
    const last = new Date(Date.UTC(ly, lm, 0)).getUTCDate();
    return { from: `${ly}-${pad(lm)}-01`, to: `${ly}-${pad(lm)}-${pad(last)}` };
  }
  return {};
}

/** Query string of an export (.xlsx) with the same parameters as the page's query; unset values left out. */
export function exportPath(path: string, params: Record<string, string | undefined | null>): string {
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return qs ? `${path}?${qs}` : path;
}
