import type { Cell, CellValue, Workbook, Worksheet } from 'exceljs';
import { DomainError } from '../common/errors/domain-error';
import {
  columnForHeader,
  EXPORT_INFO_CAMPAIGN,
  EXPORT_INFO_SHEET,
  isSignatureFiller,
  isSignatureLabel,
  ITEM_NUMBER_HEADER,
  LEDGER_COLUMNS,
  normalizeName,
  type LedgerColumnKey,
} from './ledger-layout';

/** A cell as the importer sees it: its text, and the value Excel stored (a date cell holds a Date, a number cell a number). */
export interface LedgerCell {
  text: string;
  value: string | number | boolean | Date | null;
}

export interface LedgerSheetRow {
  /** The worksheet the row is on. */
  sheet: string;
  /** The row number Excel shows. */
  row: number;
  cells: Record<LedgerColumnKey, LedgerCell>;
  /** 问题编号, when the sheet has that column (an exported ledger). */
  itemNumber: LedgerCell;
  /** What the lines above the header say: the township of 乡镇：…, the year of 时间：…. */
  heading: LedgerHeading;
}

export interface LedgerHeading {
  township: string | null;
  year: number | null;
}

export interface LedgerSheet {
  sheetName: string;
  headerRow: number;
  rows: LedgerSheetRow[];
  /** The names the signature lines give as 填报人. */
  filledBy: string[];
}

export interface LedgerBook {
  /** Every worksheet with a ledger header, in workbook order (one per village, or one for all). */
  sheets: LedgerSheet[];
  /** The campaign an exported ledger came from (its hidden 导出信息 sheet), or null. */
  exportedFrom: string | null;
}

/** How far down a sheet the header row is looked for (title and 乡镇/时间 rows sit above it). */
const HEADER_SEARCH_ROWS = 30;

const EMPTY: LedgerCell = { text: '', value: null };

/** Formula results, rich text and hyperlinks reduced to what they show. */
function plain(value: CellValue): LedgerCell['value'] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return plain((value as { result?: CellValue }).result ?? null);
    if ('hyperlink' in value) return plain((value as { text?: CellValue }).text ?? null);
    if ('error' in value) return String((value as { error: string }).error);
  }
  return null;
}

function isoDate(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

export function readCell(cell: Cell | undefined): LedgerCell {
  if (!cell) return EMPTY;
  const value = plain(cell.value);
  if (value === null) return EMPTY;
  const text = value instanceof Date ? isoDate(value) : String(value).trim();
  return { text, value: typeof value === 'string' ? text : value };
}

type HeaderColumns = Map<LedgerColumnKey, number>;

interface FoundHeader {
  row: number;
  columns: HeaderColumns;
  itemNumberColumn: number | null;
}

/** The texts of a row's filled cells in column order, a merged cell's once (it repeats its text in every cell it covers). */
function rowTexts(ws: Worksheet, r: number): string[] {
  const row = ws.findRow(r);
  if (!row) return [];
  const texts: string[] = [];
  row.eachCell((cell) => {
    const text = readCell(cell).text;
    if (text !== '' && texts[texts.length - 1] !== text) texts.push(text);
  });
  return texts;
}

/** Row `r` as a header: the columns it names (each of the ten at most once, and 问题编号). */
function headerAt(ws: Worksheet, r: number): { columns: HeaderColumns; itemNumberColumn: number | null } {
  const columns: HeaderColumns = new Map();
  let itemNumberColumn: number | null = null;
  ws.findRow(r)?.eachCell((cell, col) => {
    const text = readCell(cell).text;
    const key = columnForHeader(text);
    if (key && !columns.has(key)) columns.set(key, col);
    else if (itemNumberColumn === null && normalizeName(text) === ITEM_NUMBER_HEADER) itemNumberColumn = col;
  });
  return { columns, itemNumberColumn };
}

const isFullHeader = (h: { columns: HeaderColumns }): boolean => h.columns.size === LEDGER_COLUMNS.length;

/** The header row: the first row (from the top) that names every ledger column. */
function findHeader(ws: Worksheet): FoundHeader | { row: null; best: Set<LedgerColumnKey> } {
  let best = new Set<LedgerColumnKey>();
  const last = Math.min(ws.rowCount, HEADER_SEARCH_ROWS);
  for (let r = 1; r <= last; r++) {
    const found = headerAt(ws, r);
    if (isFullHeader(found)) return { row: r, ...found };
    if (found.columns.size > best.size) best = new Set(found.columns.keys());
  }
  return { row: null, best };
}

/** A second header row under the first (the headings merged down over two rows): every filled cell repeats its column's heading. */
function repeatsHeader(ws: Worksheet, r: number, header: FoundHeader): boolean {
  const row = ws.findRow(r);
  if (!row) return false;
  let named = 0;
  for (const [key, col] of header.columns) {
    const text = readCell(row.getCell(col)).text;
    if (text === '') continue;
    if (columnForHeader(text) !== key) return false;
    named++;
  }
  return named > 0;
}

/**
 * A signature line, or a note under the table: its first filled cell starts
 * with a signer's label (填报人, 乡镇分管负责人, 审核人, 日期…, with or without a
 * name, in any column), or it holds nothing but what such lines hold (年 月 日,
 * （盖章）, a date).
 */
function isSignatureRow(texts: string[], values: Array<LedgerCell['value']>, deadline: LedgerCell): boolean {
  if (texts.length === 0) return false;
  if (isSignatureLabel(texts[0])) return true;
  // A date alone in the 整改时限 column is a problem row left unfinished, not the date of the signatures.
  if (deadline.text === '' && values.every((v) => v instanceof Date)) return true;
  return texts.every((t) => isSignatureFiller(t));
}

function rowValues(ws: Worksheet, r: number): Array<LedgerCell['value']> {
  const row = ws.findRow(r);
  const values: Array<LedgerCell['value']> = [];
  row?.eachCell((cell) => {
    const v = readCell(cell).value;
    if (v !== null && v !== '') values.push(v);
  });
  return values;
}

const HEADING_TOWNSHIP = /(?:乡镇|乡镇\(街道\)|乡\(镇\)|填报单位)\s*:\s*([^\s:]+)/;
const HEADING_YEAR = /(20\d{2})\s*(?:年|[-/.]\s*\d)/;

/** 乡镇：城关镇 (or 填报单位：城关镇人民政府) and the year of 时间：2021年6月, from the lines above a header (rows `from` to `to` - 1). */
function readHeading(ws: Worksheet, from: number, to: number): LedgerHeading {
  let township: string | null = null;
  let year: number | null = null;
  for (let r = from; r < to; r++) {
    for (const text of rowTexts(ws, r)) {
      const t = text.normalize('NFKC');
      const named = HEADING_TOWNSHIP.exec(t)?.[1]?.replace(/(人民政府|政府)$/, '');
      if (township === null && named && named !== '全县') township = named;
      const y = HEADING_YEAR.exec(t);
      if (year === null && y) year = Number(y[1]);
    }
  }
  return { township, year };
}

const HEADING_LINE = /^(乡镇|时间|填报单位|填报时间|行政村|村)[^:]{0,6}:/;

/** A line of the heading above a header: 乡镇：…, 时间：…, 填报单位：…. */
function isHeadingLine(text: string): boolean {
  return HEADING_LINE.test(text.normalize('NFKC').trim());
}

const FILLED_BY = /^(填报人|填表人)[:：]?(.*)$/;

/** 填报人's names: in the label's cell (填报人：张伟) or in the cell after it (填报人 | 张伟). */
function filledByNames(texts: string[]): string[] {
  const names: string[] = [];
  texts.forEach((text, i) => {
    const m = FILLED_BY.exec(normalizeName(text));
    if (!m) return;
    const next = texts[i + 1];
    const name = m[2] || (next !== undefined && !isSignatureLabel(next) && !isSignatureFiller(next) ? normalizeName(next) : '');
    if (name) names.push(name);
  });
  return names;
}

/**
 * The problem rows of a sheet, from its header down to its signature lines.
 * A township may stack its villages' tables on one sheet: a full header row
 * under the signature lines starts the next table (its own 乡镇 line above
 * it), so it is not taken for a problem hidden under the signatures.
 */
function readSheet(ws: Worksheet, first: FoundHeader, seen: number, maxRows: number): LedgerSheet {
  let header = first;
  let heading = readHeading(ws, 1, header.row);
  const rows: LedgerSheetRow[] = [];
  const filledBy: string[] = [];
  let footer: number | null = null;
  const skipRepeatedHeader = (from: number): number => {
    let r = from;
    while (r <= ws.rowCount && repeatsHeader(ws, r, header)) r++;
    return r;
  };
  for (let r = skipRepeatedHeader(header.row + 1); r <= ws.rowCount; r++) {
    const row = ws.findRow(r);
    if (!row) continue;
    const cells = {} as Record<LedgerColumnKey, LedgerCell>;
    let blank = true;
    for (const [key, col] of header.columns) {
      cells[key] = readCell(row.getCell(col));
      if (cells[key].text !== '') blank = false;
    }
    const itemNumber = header.itemNumberColumn === null ? EMPTY : readCell(row.getCell(header.itemNumberColumn));
    if (itemNumber.text !== '') blank = false;
    const texts = rowTexts(ws, r);
    if (texts.length === 0) continue;
    const signature = isSignatureRow(texts, rowValues(ws, r), cells.deadline);
    if (signature) {
      footer ??= r;
      filledBy.push(...filledByNames(texts));
      continue;
    }
    if (footer !== null) {
      const next = headerAt(ws, r);
      if (isFullHeader(next)) {
        const above = readHeading(ws, footer + 1, r);
        heading = { township: above.township ?? heading.township, year: above.year ?? heading.year };
        header = { row: r, ...next };
        footer = null;
        r = skipRepeatedHeader(r + 1) - 1;
        continue;
      }
      // Nothing that looks like a problem may hide under the signature lines: it would be dropped unseen.
      // The next table's title (one text merged across the row) and 乡镇/时间 line are not problems.
      const merged = texts.length === 1 && cells.description.text === cells.township.text;
      const looksLikeProblem =
        !merged &&
        !texts.every(isHeadingLine) &&
        cells.description.text !== '' &&
        (cells.township.text !== '' || cells.village.text !== '' || cells.problemType.text !== '');
      if (looksLikeProblem) {
        const why = `第${r}行的问题在第${footer}行的签名行（填报人、乡镇分管负责人）之下，请移到签名行之上`;
        throw new DomainError('UNPROCESSABLE', `无法识别台账：工作表「${ws.name}」${why}`, [{ field: `第${r}行`, message: why }]);
      }
      continue;
    }
    if (blank) continue;
    rows.push({ sheet: ws.name, row: r, cells, itemNumber, heading });
    if (seen + rows.length > maxRows) {
      throw new DomainError('UNPROCESSABLE', `台账行数超过单次导入上限（${maxRows} 行），请分成几个文件导入`, [
        { field: 'file', message: `超过 ${maxRows} 行` },
      ]);
    }
  }
  return { sheetName: ws.name, headerRow: first.row, rows, filledBy };
}

/** The campaign id an export wrote on its hidden 导出信息 sheet. */
function exportedFrom(wb: Workbook): string | null {
  const info = wb.getWorksheet(EXPORT_INFO_SHEET);
  if (!info) return null;
  for (let r = 1; r <= Math.min(info.rowCount, 10); r++) {
    if (readCell(info.getCell(r, 1)).text === EXPORT_INFO_CAMPAIGN) return readCell(info.getCell(r, 2)).text || null;
  }
  return null;
}

/**
 * Finds the ledger in a workbook: every worksheet with a header row that
 * names the ten columns (in any order, anywhere in its first rows; one sheet
 * per village, or one for all), and on each the rows under it down to the
 * signature lines (填报人, 乡镇分管负责人, 审核人, 日期… on one row or several,
 * in any column). Title and 乡镇/时间 lines above the header, blank rows and
 * sheets without a header (instructions, empty sheets) are left out. A
 * workbook without such a header is refused with 422 naming what is missing.
 */
export function readLedger(wb: Workbook, maxRows: number): LedgerBook {
  let closest: { sheet: string; found: Set<LedgerColumnKey> } | null = null;
  const sheets: LedgerSheet[] = [];
  let seen = 0;
  for (const ws of wb.worksheets) {
    if (ws.name === EXPORT_INFO_SHEET) continue;
    const header = findHeader(ws);
    if (header.row === null) {
      if (!closest || header.best.size > closest.found.size) closest = { sheet: ws.name, found: header.best };
      continue;
    }
    const sheet = readSheet(ws, header, seen, maxRows);
    seen += sheet.rows.length;
    sheets.push(sheet);
  }
  if (sheets.length) return { sheets, exportedFrom: exportedFrom(wb) };
  const all = LEDGER_COLUMNS.map((c) => c.header).join('、');
  const missing = closest && closest.found.size >= 3 ? LEDGER_COLUMNS.filter((c) => !closest.found.has(c.key)).map((c) => c.header) : [];
  const where = missing.length ? `工作表「${closest!.sheet}」的表头缺少：${missing.join('、')}` : '未找到台账表头行';
  throw new DomainError('UNPROCESSABLE', `无法识别台账：${where}。表头行须包含 ${all}`, [{ field: 'file', message: where }]);
}
