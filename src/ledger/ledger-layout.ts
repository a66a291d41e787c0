/**
 * The 问题台账 as the 霍邱 notice (霍扶组〔2021〕5号, 附件) lays it out: a title
 * row, a 乡镇/时间 row, the header, one row per problem, then 填报人 and
 * 乡镇分管负责人 under the table. Export, template and import share this file
 * so that what we write is what we read back.
 */

export type LedgerColumnKey =
  'township' | 'village' | 'householdName' | 'idNumber' | 'problemType' | 'description' | 'measures' | 'rectifier' | 'deadline' | 'remark';

export interface LedgerColumn {
  key: LedgerColumnKey;
  header: string;
  width: number;
  /** Other headings seen in county and township ledgers for the same column. */
  aliases: string[];
}

/** The ten columns of the ledger, in the notice's order. */
export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'township', header: '乡镇', width: 14, aliases: ['乡镇（街道）', '乡镇名称', '乡镇/部门'] },
  { key: 'village', header: '行政村', width: 14, aliases: ['行政村（社区）', '村（社区）', '村'] },
  { key: 'householdName', header: '户主姓名', width: 10, aliases: ['户主'] },
  { key: 'idNumber', header: '身份证号码', width: 21, aliases: ['身份证号'] },
  { key: 'problemType', header: '问题类型', width: 20, aliases: [] },
  { key: 'description', header: '具体问题', width: 40, aliases: [] },
  { key: 'measures', header: '整改措施', width: 32, aliases: [] },
  { key: 'rectifier', header: '整改责任人', width: 14, aliases: [] },
  { key: 'deadline', header: '整改时限', width: 12, aliases: [] },
  { key: 'remark', header: '备注', width: 18, aliases: [] },
];

/**
 * Columns an export adds around the ledger's ten. 问题编号 is the item's number
 * in its campaign (the API's `number`): an import matches a row that carries it
 * to that item instead of creating one. It is not 序号, which townships use for
 * their own 1, 2, 3 and an import ignores, as it ignores 状态.
 */
export const ITEM_NUMBER_HEADER = '问题编号';
export const STATE_HEADER = '状态';

/**
 * A hidden sheet of the export that names the campaign it came from: 问题编号
 * refers to that campaign's items, so an import into another campaign reads
 * the rows by their content only.
 */
export const EXPORT_INFO_SHEET = '导出信息';
export const EXPORT_INFO_CAMPAIGN = '专项行动';

export const FILLED_BY_LABEL = '填报人：';
export const REVIEWED_BY_LABEL = '乡镇分管负责人：';
export const DATE_FORMAT = 'yyyy-mm-dd';

/**
 * Text that starts a signature line or a note under the table (checked on
 * normalizeName's form): the signers of the template and of township
 * variants, with or without a colon and a name, 日期, totals, and notes (those
 * only with a colon, as a problem could start with the word).
 */
const SIGNATURE_START =
  /^(填报人|填表人|制表人|统计人|经办人|联系人|乡镇分管负责人|分管负责人|主要负责人|负责人|审核人|审批人|填报日期|填表日期|日期|(合计|小计|总计)([:：\d]|$)|(备注|注|说明|填报单位|联系电话|电话|制表|审核|签字|签名|盖章)[:：])/;
/** What stands in a signature line besides labels and names: a date to fill in, a seal. */
const SIGNATURE_FILLER = /^([(（]?(盖章|签字|签名|公章)[)）]?|年月日)$/;

/** Whether a cell's text starts a signature line (填报人：…, 审核人, 日期：…, 合计：…, 备注：…). */
export function isSignatureLabel(text: string): boolean {
  return SIGNATURE_START.test(normalizeName(text));
}

/** Whether a cell's text is what a signature line holds besides its labels: a 年 月 日 to fill in, （盖章）. */
export function isSignatureFiller(text: string): boolean {
  return SIGNATURE_FILLER.test(normalizeName(text));
}

/** 霍邱县 + 巩固拓展脱贫攻坚成果集中排查 + 台账; a title that already names the county keeps it once. */
export function ledgerTitle(countyName: string, campaignTitle: string): string {
  const title = campaignTitle.trim();
  return `${title.startsWith(countyName) ? '' : countyName}${title}台账`;
}

/** 2021-06-25 → 2021年6月25日 */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The note of the notice's template, with this campaign's problem types. */
export function templateNote(problemTypeNames: string[]): string {
  return (
    '备注：1.若是分别涉及乡镇、村的问题，户主姓名、身份证号码两列可以空着，以此类推。' +
    `2.问题类型包括：${problemTypeNames.join('、')}，可从下拉列表中选择。` +
    '3.整改时限填写日期，如 2021-06-25。4.身份证号码请按文本填写 18 位号码。'
  );
}

/** Spreadsheets mix full-width and ASCII forms and stray blanks and line breaks; none of them changes a name. */
export function normalizeName(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

const HEADER_INDEX = new Map<string, LedgerColumnKey>(
  LEDGER_COLUMNS.flatMap((c) => [c.header, ...c.aliases].map((h) => [normalizeName(h), c.key] as [string, LedgerColumnKey])),
);

/** The ledger column a heading names, if any. */
export function columnForHeader(heading: string): LedgerColumnKey | undefined {
  return HEADER_INDEX.get(normalizeName(heading));
}

export function headerOf(key: LedgerColumnKey): string {
  return LEDGER_COLUMNS.find((c) => c.key === key)!.header;
}
