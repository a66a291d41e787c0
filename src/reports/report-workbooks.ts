import ExcelJS from 'exceljs';
import { chinaDate } from '../common/clock';
import { PROBLEM_ITEM_STATE_LABELS as LABELS } from '../../workflows';
import type { Figures, SeriesInterval } from './progress';
import type { NoticeResponse, RankingEntryResponse, StatsReportResponse } from './reports.response';

/** Figure columns as every report sheet shows them. */
const FIGURE_COLUMNS: Array<[keyof Figures, string]> = [
  ['found', '排查发现'],
  ['confirmed', '已确认'],
  ['pendingReview', LABELS.pending_review],
  ['rectifying', LABELS.rectifying],
  ['pendingAcceptance', LABELS.pending_acceptance],
  ['closed', LABELS.closed],
  ['dismissed', LABELS.dismissed],
  ['overdue', '超期'],
  ['reopened', '重新打开'],
  ['rectificationRate', '整改率'],
  ['avgDaysToClose', '平均销号天数'],
];

const figureCells = (f: Figures) =>
  FIGURE_COLUMNS.map(([k]) => (k === 'rectificationRate' ? (f.rectificationRate === null ? '' : f.rectificationRate) : (f[k] ?? '')));

function sheet(wb: ExcelJS.Workbook, name: string, title: string, header: string[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name);
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, header.length);
  ws.addRow(header).font = { bold: true };
  ws.columns.forEach((c) => (c.width = 14));
  return ws;
}

function rateFormat(ws: ExcelJS.Worksheet, column: number): void {
  ws.getColumn(column).numFmt = '0.0%';
}

export async function statsWorkbook(title: string, report: StatsReportResponse): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const labels = FIGURE_COLUMNS.map(([, l]) => l);
  const byType = sheet(wb, '分类统计', `${title} 进度统计（截至 ${report.asOf}）`, [
    report.groupBy === 'village' ? '行政村' : '乡镇/部门',
    '问题类型',
    ...labels,
  ]);
  for (const r of report.rows) byType.addRow([r.orgUnit.name, r.problemType.name, ...figureCells(r.figures)]);
  rateFormat(byType, 2 + FIGURE_COLUMNS.findIndex(([k]) => k === 'rectificationRate') + 1);
  const byUnit = sheet(wb, '汇总', `${title} 进度汇总（截至 ${report.asOf}）`, [report.groupBy === 'village' ? '行政村' : '乡镇/部门', ...labels]);
  for (const r of report.byOrgUnit) byUnit.addRow([r.orgUnit.name, ...figureCells(r.figures)]);
  byUnit.addRow(['合计', ...figureCells(report.total)]).font = { bold: true };
  rateFormat(byUnit, 1 + FIGURE_COLUMNS.findIndex(([k]) => k === 'rectificationRate') + 1);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sheet name and title of each series interval. */
export const SERIES_LABELS: Record<SeriesInterval, { sheet: string; title: string }> = {
  day: { sheet: '每日进度', title: '每日进度' },
  week: { sheet: '每周进度', title: '每周五台账' },
  half_month: { sheet: '半月进度', title: '半月报' },
  month: { sheet: '每月进度', title: '月报' },
};

/** A calendar day (YYYY-MM-DD) as a date cell: Excel shows that day, and sorts and filters it as a date. */
export function dateCell(day: string): Date {
  return new Date(`${day.slice(0, 10)}T00:00:00Z`);
}

export async function seriesWorkbook(title: string, interval: SeriesInterval, points: Array<{ date: string; figures: Figures }>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const label = SERIES_LABELS[interval];
  const ws = sheet(wb, label.sheet, `${title} ${label.title}`, ['日期', ...FIGURE_COLUMNS.map(([, l]) => l)]);
  for (const p of points) ws.addRow([dateCell(p.date), ...figureCells(p.figures)]);
  ws.getColumn(1).numFmt = 'yyyy-mm-dd';
  rateFormat(ws, 1 + FIGURE_COLUMNS.findIndex(([k]) => k === 'rectificationRate') + 1);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function rankingWorkbook(title: string, to: string, entries: RankingEntryResponse[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = sheet(wb, '乡镇排名', `${title} 乡镇考评排名（截至 ${to}）`, [
    '名次',
    '乡镇',
    '整改率',
    '督查重新打开',
    '超期',
    '平均销号天数',
    '已确认',
    '已销号',
    '备注',
    '截至日期',
  ]);
  for (const e of entries) {
    ws.addRow([
      e.rank ?? '',
      e.township.name,
      e.rectificationRate ?? '',
      e.reopened,
      e.overdue,
      e.avgDaysToClose ?? '',
      e.confirmed,
      e.closed,
      e.commended ? '表彰' : e.lastPlace ? '检讨发言，限期整改' : e.rank === null ? '无已确认问题，不参与排名' : '',
      dateCell(to),
    ]);
  }
  rateFormat(ws, 3);
  ws.getColumn(10).numFmt = 'yyyy-mm-dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function noticeWorkbook(n: NoticeResponse): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('督办通知书');
  ws.addRow([`督办通知书（第 ${n.number} 号）`]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, 6);
  const campaign = 'title' in n.campaign ? `${n.campaign.title}（${n.campaign.docNumber}）` : '';
  const recipient = 'name' in n.recipient ? n.recipient.name : '';
  ws.addRow([`${recipient}：`]);
  ws.addRow([`在${campaign}中，你单位下列问题已超过整改时限，请于 ${n.deadline} 前整改到位并报县巩固办。`]);
  if (n.note) ws.addRow([n.note]);
  ws.addRow([]);
  ws.addRow(['序号', '所在单位', '具体问题', '整改责任人', '原整改时限', '超期天数']).font = { bold: true };
  for (const i of n.items) ws.addRow([i.number, i.orgUnitName, i.description, i.rectifierName ?? '', i.deadline ? dateCell(i.deadline) : '', i.daysOverdue]);
  ws.getColumn(5).numFmt = 'yyyy-mm-dd';
  ws.addRow([]);
  ws.addRow([`签发：${n.issuedBy.name}`, '', '', '日期：', dateCell(chinaDate(new Date(n.issuedAt))), '限期：', dateCell(n.deadline)]);
  ws.getColumn(7).numFmt = 'yyyy-mm-dd';
  ws.getColumn(3).width = 50;
  [1, 2, 4, 5, 6].forEach((c) => (ws.getColumn(c).width = 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
