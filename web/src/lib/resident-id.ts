/**
 * 居民身份证号码 (GB 11643-1999), the same rule the server applies
 * (src/common/validation/resident-id.ts): 6-digit address code, birth date
 * YYYYMMDD (≥ 1900, not after today in Beijing), 3-digit sequence code and a
 * check character by ISO 7064 MOD 11-2 over the first 17 digits. Only the
 * 18-character form is accepted.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for (Σ digit·weight) mod 11 = index. */
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;
const MIN_BIRTH_YEAR = 1900;
/** Birth dates are Beijing dates; China has kept UTC+8 without DST since 1992. */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export type ResidentIdProblem = 'format' | 'birth_date' | 'check_char';

/** Trims and upper-cases (a lowercase x check character becomes X). */
export function normalizeResidentId(s: string): string {
  return s.trim().toUpperCase();
}

/** The check character for the first 17 digits of a number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function todayInBeijing(now: Date): string {
  return new Date(now.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

function isRealBirthDate(yyyymmdd: string, now: Date): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < MIN_BIRTH_YEAR || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  return yyyymmdd <= todayInBeijing(now);
}

/** Why a number is not valid, or null when it is. Blanks are not forgiven (normalize first); a lowercase x is. */
export function residentIdProblem(s: string, now: Date = new Date()): ResidentIdProblem | null {
  if (typeof s !== 'string') return 'format';
  const id = s.toUpperCase();
  if (!SHAPE.test(id)) return 'format';
  if (!isRealBirthDate(id.slice(6, 14), now)) return 'birth_date';
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return 'check_char';
  return null;
}

export function isValidResidentId(s: string, now: Date = new Date()): boolean {
  return residentIdProblem(s, now) === null;
}

/**
 * What to show beside the field while the cadre types, or null when the
 * number is valid (or empty: the number is optional). The message never
 * names the expected check character: a wrong check character usually means
 * a mistyped digit elsewhere, and the number must be read again from the card.
 */
export function residentIdMessage(input: string, now: Date = new Date()): string | null {
  const id = normalizeResidentId(input);
  if (id === '') return null;
  if (/[^\dX]/.test(id)) return '身份证号码只能包含数字和末位的X';
  if (id.slice(0, -1).includes('X')) return 'X只能是身份证号码的最后一位';
  if (id.length !== 18) return `身份证号码应为18位，已输入${id.length}位`;
  switch (residentIdProblem(id, now)) {
    case null:
      return null;
    case 'birth_date':
      return `身份证号码中的出生日期（${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}）无效`;
    case 'check_char':
      return '身份证号码校验位错误，请对照身份证核对号码';
    default:
      return '身份证号码格式不正确';
  }
}

/** A number still being typed: only digits so far, fewer than 18 (the counter shows progress; no error yet). */
export function isIncompleteResidentId(input: string): boolean {
  return /^\d{1,17}$/.test(normalizeResidentId(input));
}

/**
 * 341522********1234: the address code and the last four characters stay
 * readable. Values of another length are masked in the same spirit so a
 * malformed number never shows in full.
 */
export function maskResidentId(s: string): string {
  const id = normalizeResidentId(s);
  if (id.length < 15) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}
