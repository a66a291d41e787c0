import { createHash } from 'node:crypto';
import { chinaDate } from '../common/clock';
import { residentIdIndex } from '../common/crypto/resident-id-keys';
import type { ProblemTypeNode } from '../campaigns/presets';
import { matchProblemType } from '../campaigns/presets';
import { normalizeResidentId, residentIdProblem } from '../common/validation/resident-id';
import type { DraftFields } from '../items/item-draft';
import type { OrgUnit } from '../orgs/org-unit.entity';
import { headerOf, ITEM_NUMBER_HEADER, normalizeName, type LedgerColumnKey } from './ledger-layout';
import type { LedgerCell, LedgerSheetRow } from './ledger-sheet';

/** One problem with one cell of one row. `row` is the row number Excel shows, on worksheet `sheet`. */
export interface LedgerRowError {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

/** A row of an exported ledger that names an item by its 问题编号: it creates nothing. */
export interface LedgerRowMatch {
  sheet: string;
  row: number;
  number: number;
  /** What the row says of the problem, to tell whether it was edited after export (see `differsFrom`). */
  says: { description: string; householdName: string; problemTypeCode: string | null };
}

/** 具体问题 compared as the import fingerprint compares it: full-width forms and runs of blanks do not count. */
export function comparableText(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** Whether a matched row says something else than its item: edited after export (the import changes no item). */
export function differsFrom(says: LedgerRowMatch['says'], item: { description: string; householdName: string | null; problemTypeCode: string }): boolean {
  return (
    comparableText(item.description) !== says.description ||
    (item.householdName ?? '').replace(/\s+/g, '') !== says.householdName ||
    item.problemTypeCode !== says.problemTypeCode
  );
}

/** A row that passed every check: where it is, what it says, and its fingerprint. */
export interface LedgerRowPlan {
  sheet: string;
  row: number;
  unit: OrgUnit;
  fields: DraftFields & { importKey: string };
  /** 整改措施, recorded through an EDIT so the item's workflow context holds it. */
  measures: string | null;
}

export interface LedgerRowsContext {
  campaignId: string;
  problemTypes: readonly ProblemTypeNode[];
  /** The county's townships, villages and departments. */
  units: readonly OrgUnit[];
  /** Why the importer may not record a problem at `unit`, or null. */
  refusal: (unit: OrgUnit) => string | null;
  /** Whether 问题编号 refers to this campaign's items (false for a ledger exported from another campaign). */
  readItemNumbers: boolean;
  now: Date;
}

/** Field lengths as the item columns and CreateItemDto allow them. */
const MAX_LENGTH: Partial<Record<LedgerColumnKey, number>> = {
  householdName: 64,
  description: 4000,
  measures: 4000,
  rectifier: 64,
  remark: 2000,
};

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

function isoIfReal(y: number, m: number, d: number): string | undefined {
  if (y < FIRST_YEAR || y > LAST_YEAR) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

const FULL_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/;
const MONTH_DAY = /^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?$/;

/**
 * 整改时限 as a date (YYYY-MM-DD): a date cell, an Excel day number in a
 * cell that lost its date format, or text such as 2021-06-25, 2021/6/25,
 * 2021.6.25, 2021年6月25日, 2021年6月25号 or 20210625 (full-width digits too);
 * 6月25日 without a year is of `year` (the ledger's 时间 line, else this
 * year). Null when blank, undefined when not a date.
 */
export function parseLedgerDate(cell: LedgerCell, year?: number): string | null | undefined {
  const v = cell.value;
  if (v === null || (typeof v === 'string' && v.trim() === '')) return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    return isoIfReal(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
  }
  if (typeof v === 'number') {
    const d = new Date(EXCEL_EPOCH_MS + Math.floor(v) * DAY_MS);
    return isoIfReal(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  const s = String(v).normalize('NFKC').trim();
  const m = FULL_DATE.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoIfReal(Number(m[1]), Number(m[2]), Number(m[3]));
  const md = MONTH_DAY.exec(s);
  return md && year !== undefined ? isoIfReal(year, Number(md[1]), Number(md[2])) : undefined;
}

const ID_MESSAGES = {
  format: '身份证号码格式不正确（应为 18 位：17 位数字加 1 位校验码）',
  birth_date: '身份证号码中的出生日期无效',
  check_char: '身份证号码校验码不正确，请核对',
} as const;

/** Re-import of the same row in the same campaign finds the same key (the unique index does the rest). */
export function importKey(
  campaignId: string,
  unitIds: [string, string | null],
  household: string,
  /** The number's keyed index (residentIdIndex), never the number: the key is stored with the item. */
  idIndex: string,
  typeCode: string,
  description: string,
): string {
  const canonical = JSON.stringify([campaignId, ...unitIds, normalizeName(household), idIndex, typeCode, comparableText(description)]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** A name as kept: every blank inside it gone, full-width spaces too (周\u3000九 → 周九); full-width brackets such as （七里庙村） stay. */
const nameText = (s: string): string => s.replace(/\s+/g, '');

/** ID numbers as typed on phones and pasted from chats: full-width digits and Ｘ, blanks between the groups. */
function idText(s: string): string {
  return normalizeResidentId(s.normalize('NFKC').replace(/\s+/g, ''));
}

/** Item numbers are PostgreSQL integers. */
const MAX_ITEM_NUMBER = 2 ** 31 - 1;

/** 问题编号 as an export writes it (a number), or typed as text (12, #12, 第12号). */
function itemNumberOf(cell: LedgerCell): number | undefined {
  const n = typeof cell.value === 'number' ? cell.value : Number(/^(?:#|第)?(\d{1,10})号?$/.exec(normalizeName(cell.text))?.[1]);
  return Number.isInteger(n) && n > 0 && n <= MAX_ITEM_NUMBER ? n : undefined;
}

/**
 * Checks every row and resolves it against the campaign and the county's org
 * units. All rows are checked, so one answer lists every problem of the file.
 * A row that carries a 问题编号 (an exported ledger, maybe edited since) only
 * names the item it came from: its other cells are not read (an export's
 * 身份证号码 may be masked), and the caller looks the number up.
 */
export function planLedgerRows(
  rows: readonly LedgerSheetRow[],
  ctx: LedgerRowsContext,
): { plans: LedgerRowPlan[]; matches: LedgerRowMatch[]; errors: LedgerRowError[] } {
  const townships = new Map<string, OrgUnit[]>();
  const villagesByParent = new Map<string, OrgUnit[]>();
  for (const u of ctx.units) {
    if (u.kind === 'township' || u.kind === 'department') {
      const key = normalizeName(u.name);
      townships.set(key, [...(townships.get(key) ?? []), u]);
    } else if (u.kind === 'village' && u.parentId) {
      villagesByParent.set(u.parentId, [...(villagesByParent.get(u.parentId) ?? []), u]);
    }
  }
  const thisYear = Number(chinaDate(ctx.now).slice(0, 4));

  const plans: LedgerRowPlan[] = [];
  const matches: LedgerRowMatch[] = [];
  const errors: LedgerRowError[] = [];
  for (const { sheet, row, cells, itemNumber, heading } of rows) {
    const before = errors.length;
    const fail = (key: LedgerColumnKey, message: string) => errors.push({ sheet, row, column: headerOf(key), message });
    const text = (key: LedgerColumnKey) => cells[key].text;

    if (ctx.readItemNumbers && itemNumber.text !== '') {
      const number = itemNumberOf(itemNumber);
      if (number === undefined) errors.push({ sheet, row, column: ITEM_NUMBER_HEADER, message: `问题编号「${itemNumber.text}」不是有效的编号` });
      else {
        const says = {
          description: comparableText(text('description')),
          householdName: nameText(text('householdName')),
          problemTypeCode: matchProblemType(ctx.problemTypes, text('problemType'))?.code ?? null,
        };
        matches.push({ sheet, row, number, says });
      }
      continue;
    }

    for (const [key, max] of Object.entries(MAX_LENGTH) as Array<[LedgerColumnKey, number]>) {
      if (text(key).length > max) fail(key, `${headerOf(key)}超过 ${max} 个字`);
    }

    // 乡镇 (or a county department for 行业排查), then 行政村 within it. A blank 乡镇 is the one the 乡镇： line above the header names.
    const townshipText = text('township') || heading.township || '';
    let unit: OrgUnit | undefined;
    let township: OrgUnit | undefined;
    if (townshipText === '') {
      fail('township', '乡镇不能为空');
    } else {
      const found = townships.get(normalizeName(townshipText)) ?? [];
      if (found.length === 0) fail('township', `乡镇「${townshipText}」不是本县的乡镇或县直部门`);
      else if (found.length > 1) fail('township', `乡镇「${townshipText}」对应多个单位，请联系管理员`);
      else township = unit = found[0];
    }
    if (township && text('village') !== '') {
      if (township.kind === 'department') {
        fail('village', '县直部门（行业排查）的问题不填行政村');
        unit = undefined;
      } else {
        const wanted = normalizeName(text('village'));
        const villages = (villagesByParent.get(township.id) ?? []).filter((v) => {
          const name = normalizeName(v.name);
          return name === wanted || name === normalizeName(township!.name) + wanted;
        });
        if (villages.length !== 1) {
          fail('village', `行政村「${text('village')}」不在${township.name}`);
          unit = undefined;
        } else {
          unit = villages[0];
        }
      }
    }
    if (unit) {
      const refusal = ctx.refusal(unit);
      if (refusal) fail(unit.kind === 'village' ? 'village' : 'township', refusal);
    }

    // 户主姓名 and 身份证号码 may both be blank: problems of a village or a township (the template's note).
    let idNumber = '';
    if (text('idNumber') !== '') {
      idNumber = idText(text('idNumber'));
      const problem = residentIdProblem(idNumber, ctx.now);
      if (problem) {
        const lostDigits = typeof cells.idNumber.value === 'number' ? '（该单元格是数字格式，Excel 会改写 15 位以后的数字，请设为文本格式后重新填写）' : '';
        fail('idNumber', ID_MESSAGES[problem] + lostDigits);
      }
    }

    const type = text('problemType') === '' ? undefined : matchProblemType(ctx.problemTypes, text('problemType'));
    if (text('problemType') === '') fail('problemType', '问题类型不能为空');
    else if (!type) fail('problemType', `问题类型「${text('problemType')}」不是该专项行动的问题类型`);

    if (text('description') === '') fail('description', '具体问题不能为空');

    const deadline = parseLedgerDate(cells.deadline, heading.year ?? thisYear);
    if (deadline === undefined) fail('deadline', `整改时限「${text('deadline')}」不是有效日期（应为 2021-06-25 这样的日期）`);

    if (errors.length > before || !unit || !township || !type) continue;
    const villageId = unit.kind === 'village' ? unit.id : null;
    const household = nameText(text('householdName'));
    const description = text('description').replace(/\r\n?/g, '\n');
    plans.push({
      sheet,
      row,
      unit,
      measures: text('measures') || null,
      fields: {
        problemTypeCode: type.code,
        description,
        householdName: household || null,
        householdIdNumber: idNumber || null,
        remark: text('remark') || null,
        plannedRectifierName: nameText(text('rectifier')) || null,
        plannedDeadline: deadline ?? null,
        importKey: importKey(ctx.campaignId, [township.id, villageId], household, residentIdIndex(idNumber) ?? '', type.code, description),
      },
    });
  }
  return { plans, matches, errors };
}
