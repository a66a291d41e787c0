import type { Cell, CellValue, Workbook, Worksheet } from 'exceljs';
import { DomainError } from '../common/errors/domain-error';
import { columnForHeader, FOOTER_START, LEDGER_COLUMNS, type LedgerColumnKey } from './ledger-layout';

/** A cell as the importer sees it: its text, and the value Excel stored (a date cell holds a Date, a number cell a number). */
export interface LedgerCell {
  text: string;
  value: string | number | boolean | Date | null;
}

export interface LedgerSheetRow {
  /** The row number Excel shows. */
  row: number;
  cells: Record<LedgerColumnKey, LedgerCell>;
}

export interface LedgerSheet {
  sheetName: string;
  headerRow: number;
  rows: LedgerSheetRow[];
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

/** The header row: the first row (from the top) that names every ledger column. */
function findHeader(ws: Worksheet): { row: number; columns: Map<LedgerColumnKey, number> } | { row: null; best: Set<LedgerColumnKey> } {
  let best = new Set<LedgerColumnKey>();
  const last = Math.min(ws.rowCount, HEADER_SEARCH_ROWS);
  for (let r = 1; r <= last; r++) {
    const row = ws.findRow(r);
    if (!row) continue;
    const columns = new Map<LedgerColumnKey, number>();
    row.eachCell((cell, col) => {
      const key = columnForHeader(readCell(cell).text);
      if (key && !columns.has(key)) columns.set(key, col);
    });
    if (columns.size === LEDGER_COLUMNS.length) return { row: r, columns };
    if (columns.size > best.size) best = new Set(columns.keys());
  }
  return { row: null, best };
}

/** The signature lines and the note under the table: one text (in one cell, or merged across the row) that starts with 填报人：/乡镇分管负责人：/备注：. */
function isFooter(ws: Worksheet, r: number): boolean {
  const row = ws.findRow(r);
  if (!row) return false;
  const texts = new Set<string>();
  row.eachCell((cell) => {
    const text = readCell(cell).text;
    if (text !== '') texts.add(text);
  });
  const [only] = texts;
  return texts.size === 1 && FOOTER_START.test(only);
}

/**
 * Finds the ledger in a workbook: the first worksheet with a header row that
 * names the ten columns (in any order, anywhere in its first rows), and the
 * rows under it up to the 填报人 / 乡镇分管负责人 lines. Blank rows are left out.
 * A workbook without such a header is refused with 422 naming what is missing.
 */
export function readLedgerSheet(wb: Workbook, maxRows: number): LedgerSheet {
  let closest: { sheet: string; found: Set<LedgerColumnKey> } | null = null;
  for (const ws of wb.worksheets) {
    const header = findHeader(ws);
    if (header.row === null) {
      if (!closest || header.best.size > closest.found.size) closest = { sheet: ws.name, found: header.best };
      continue;
    }
    const rows: LedgerSheetRow[] = [];
    let footer: number | null = null;
    for (let r = header.row + 1; r <= ws.rowCount; r++) {
      if (footer === null && isFooter(ws, r)) footer = r;
      if (footer !== null) {
        // Nothing that looks like a problem may hide under the signature lines: it would be dropped unseen.
        const row = ws.findRow(r);
        const text = (key: LedgerColumnKey) => (row ? readCell(row.getCell(header.columns.get(key)!)).text : '');
        if (r > footer && text('township') !== '' && text('description') !== '' && !FOOTER_START.test(text('township'))) {
          const why = `第${r}行的问题在第${footer}行的签名行（填报人、乡镇分管负责人）之下，请移到签名行之上`;
          throw new DomainError('UNPROCESSABLE', `无法识别台账：${why}`, [{ field: `第${r}行`, message: why }]);
        }
        continue;
      }
      const row = ws.findRow(r);
      if (!row) continue;
      const cells = {} as Record<LedgerColumnKey, LedgerCell>;
      let blank = true;
      for (const [key, col] of header.columns) {
        cells[key] = readCell(row.getCell(col));
        if (cells[key].text !== '') blank = false;
      }
      if (blank) continue;
      rows.push({ row: r, cells });
      if (rows.length > maxRows) {
        throw new DomainError('UNPROCESSABLE', `台账行数超过单次导入上限（${maxRows} 行），请分成几个文件导入`, [
          { field: 'file', message: `超过 ${maxRows} 行` },
        ]);
      }
    }
    return { sheetName: ws.name, headerRow: header.row, rows };
  }
  const all = LEDGER_COLUMNS.map((c) => c.header).join('、');
  const missing = closest && closest.found.size >= 3 ? LEDGER_COLUMNS.filter((c) => !closest.found.has(c.key)).map((c) => c.header) : [];
  const where = missing.length ? `工作表「${closest!.sheet}」的表头缺少：${missing.join('、')}` : '未找到台账表头行';
  throw new DomainError('UNPROCESSABLE', `无法识别台账：${where}。表头行须包含 ${all}`, [{ field: 'file', message: where }]);
}
