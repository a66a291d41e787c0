import ExcelJS from 'exceljs';
import { chinaDate } from '../common/clock';
import { dateCell } from '../reports/report-workbooks';
import { ACCOUNTABILITY_STEPS, type AccountabilityResponse, type CoverageResponse, type SpotCheckDrawResponse } from './inspection.response';

const STEP_LABELS: Record<(typeof ACCOUNTABILITY_STEPS)[number], string> = {
  investigation: '排查',
  review: '审核',
  rectification: '整改',
  acceptance: '验收',
  inspection: '督查',
};

const CHECK_LABELS = { pending: '待复核', passed: '督查通过', reopened: '重新打开' } as const;

function sheet(wb: ExcelJS.Workbook, name: string, title: string, header: string[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name);
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, header.length);
  ws.addRow(header).font = { bold: true };
  ws.columns.forEach((c) => (c.width = 12));
  return ws;
}

/** 抽查复核覆盖情况: per village, then per township, then the draws with their samples. */
export async function coverageWorkbook(title: string, report: CoverageResponse, draws: SpotCheckDrawResponse[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const figures = ['已销号', '已抽取', '已复核', '督查通过', '重新打开'];
  const byVillage = sheet(wb, '各村覆盖', `${title} 抽查复核覆盖情况（截至 ${report.asOf}）`, ['乡镇', '行政村', ...figures]);
  for (const r of report.rows) byVillage.addRow([r.township.name, r.orgUnit.name, r.closed, r.drawn, r.checked, r.passed, r.reopened]);
  byVillage.getColumn(2).width = 16;
  const byTownship = sheet(wb, '乡镇汇总', `${title} 抽查复核乡镇汇总（截至 ${report.asOf}）`, [
    '乡镇',
    ...figures,
    '有销号问题的村',
    '已抽查的村',
    '已复核的村',
  ]);
  for (const t of [...report.townships, report.total]) {
    const row = byTownship.addRow([t.township.name, t.closed, t.drawn, t.checked, t.passed, t.reopened, t.villages, t.villagesDrawn, t.villagesChecked]);
    if (t === report.total) row.font = { bold: true };
  }
  const sample = sheet(wb, '抽查样本', `${title} 抽查样本`, [
    '轮次',
    '抽取单位',
    '抽取人',
    '抽取日期',
    '方式',
    '序号',
    '乡镇',
    '行政村',
    '具体问题',
    '复核结果',
    '复核人',
    '复核日期',
  ]);
  for (const d of draws) {
    for (const i of d.items) {
      sample.addRow([
        d.round,
        d.drawnByOrgUnit.name,
        d.drawnBy.name,
        dateCell(chinaDayOf(d.drawnAt)),
        d.mode === 'percent' ? `按比例 ${d.value}%` : `每乡镇 ${d.value} 个`,
        i.number,
        i.township.name,
        i.orgUnit.name,
        i.description,
        CHECK_LABELS[i.check],
        i.checkedBy?.name ?? '',
        i.checkedAt ? dateCell(chinaDayOf(i.checkedAt)) : null,
      ]);
    }
  }
  sample.getColumn(4).numFmt = 'yyyy-mm-dd';
  sample.getColumn(12).numFmt = 'yyyy-mm-dd';
  sample.getColumn(9).width = 40;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** 谁签字谁负责: per person and per township, signed / reopened / overdue at each step. */
export async function accountabilityWorkbook(title: string, report: AccountabilityResponse): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const stepHeader = ACCOUNTABILITY_STEPS.flatMap((s) => [`${STEP_LABELS[s]}签字`, `${STEP_LABELS[s]}后重新打开`, `${STEP_LABELS[s]}后超期`]);
  const stepCells = (steps: AccountabilityResponse['people'][number]['steps']) =>
    ACCOUNTABILITY_STEPS.flatMap((s) => [steps[s].signed, steps[s].reopened, steps[s].overdue]);
  const period = `${report.from} 至 ${report.to}`;
  const people = sheet(wb, '按人员', `${title} 签字责任（按人员，${period}）`, ['姓名', '单位', '签字问题数', '重新打开', '超期', ...stepHeader]);
  for (const p of report.people) people.addRow([p.signer.name, p.orgUnit.name, p.items, p.reopened, p.overdue, ...stepCells(p.steps)]);
  people.getColumn(1).width = 24;
  people.getColumn(2).width = 18;
  const townships = sheet(wb, '按乡镇', `${title} 签字责任（按乡镇，${period}）`, [
    '乡镇',
    '签字问题数',
    '重新打开',
    '超期',
    '期间督查重新打开次数',
    ...stepHeader,
  ]);
  for (const t of report.townships) townships.addRow([t.township.name, t.items, t.reopened, t.overdue, t.reopens, ...stepCells(t.steps)]);
  const info = wb.addWorksheet('说明');
  info.addRow(['统计期间开始', dateCell(report.from)]);
  info.addRow(['统计期间结束', dateCell(report.to)]);
  info.getColumn(2).numFmt = 'yyyy-mm-dd';
  info.getColumn(1).width = 16;
  info.getColumn(2).width = 14;
  info.addRow(['口径', '期间内各环节的签字（排查、审核（含不予认定）、整改、验收、督查（含重新打开））；重新打开、超期为签字之后至今发生的']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const chinaDayOf = (iso: string): string => chinaDate(new Date(iso));
