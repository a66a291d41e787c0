import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the policy is checked against; the numbers come from the county's policy (defaults: configuration). */
export interface PasswordPolicyOptions {
  minLength: number;
  /** Of upper case, lower case, digits, symbols (3 unless the county's policy says 4). */
  minCharClasses?: number;
  /** The account's login name: a password may not contain it. */
  username: string;
  /** Lower-case common passwords; see loadCommonPasswords. */
  blocklist: ReadonlySet<string>;
}

export const PASSWORD_MAX_LENGTH = 128;

const CLASS_COUNT_WORDS: Record<number, string> = { 3: '至少三类', 4: '全部四类' };

function classesRule(minCharClasses: number): string {
  return `包含大写字母、小写字母、数字、符号中的${CLASS_COUNT_WORDS[minCharClasses] ?? `至少 ${minCharClasses} 类`}`;
}

/** The rules as users read them (the console lists them beside the form). */
export function passwordRules(minLength: number, minCharClasses = 3, historySize?: number): string[] {
  return [
    `至少 ${minLength} 位，最多 ${PASSWORD_MAX_LENGTH} 位`,
    classesRule(minCharClasses),
    '不能包含用户名',
    '不能是常见密码（如 Passw0rd!、Aa123456、1qaz@WSX）',
    '不能包含控制字符',
    historySize ? `不能与最近 ${historySize} 次使用过的密码相同` : '不能与最近使用过的密码相同',
  ];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * The first rule `password` breaks, as a Chinese sentence for the user, or
 * null when it satisfies the policy. Pure: history (reuse) is checked by the
 * caller, who holds the hashes.
 */
export function passwordProblem(password: string, opts: PasswordPolicyOptions): string | null {
  if (CONTROL.test(password)) return '密码不能包含控制字符';
  const length = [...password].length;
  if (length < opts.minLength) return `密码至少 ${opts.minLength} 位`;
  if (length > PASSWORD_MAX_LENGTH) return `密码最多 ${PASSWORD_MAX_LENGTH} 位`;
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const minClasses = opts.minCharClasses ?? 3;
  if (classes < minClasses) return `密码须${classesRule(minClasses)}`;
  const lower = password.toLowerCase();
  if (opts.username.length >= 3 && lower.includes(opts.username.toLowerCase())) return '密码不能包含用户名';
  if (opts.blocklist.has(lower)) return '密码过于常见，容易被猜中，请换一个';
  return null;
}

/**
 * The shipped list of common passwords (common-passwords.txt beside this
 * file; `#` lines are comments), lower-cased.
 */
export function loadCommonPasswords(file = join(__dirname, 'common-passwords.txt')): ReadonlySet<string> {
  const lines = readFileSync(file, 'utf8').split('\n');
  return new Set(lines.map((l) => l.trim().toLowerCase()).filter((l) => l && !l.startsWith('#')));
}
