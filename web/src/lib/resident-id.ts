/**
 * 居民身份证号码 (GB 11643-1999): the console checks numbers as they are typed
 * with the very rule the server applies — the same module, bundled by Vite —
 * and adds the Chinese messages shown beside the field.
 */
import { normalizeResidentId, residentIdProblem } from '../../../src/common/validation/resident-id';

export {
  isValidResidentId,
  normalizeResidentId,
  residentIdCheckChar,
  residentIdProblem,
  type ResidentIdProblem,
} from '../../../src/common/validation/resident-id';

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
