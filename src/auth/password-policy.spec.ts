import { Clock, DAY_MS } from '../common/clock';
import { loadConfig } from '../config/app-config';
import { DEMO_PASSWORD } from '../demo/demo-accounts';
import { loadCommonPasswords, passwordProblem, passwordRules, type PasswordPolicyOptions } from './password-policy';
import { PasswordPolicy } from './password-policy.service';

const blocklist = loadCommonPasswords();
const opts = (username = 'zhangwei'): PasswordPolicyOptions => ({ minLength: 8, username, blocklist });

describe('passwordProblem', () => {
  it('accepts the demo password and strong ones', () => {
    expect(passwordProblem(DEMO_PASSWORD, opts('cadre'))).toBeNull();
    for (const p of ['Village2021', 'NewPass2022', 'Huo-qiu#Cun7', 'correct horse 9 battery', '整改Qing2021!'])
      expect([p, passwordProblem(p, opts())]).toEqual([p, null]);
  });

  it.each([
    ['Ab1!xyz', '密码至少 8 位'],
    ['password1', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['qwerty12', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['1234567a', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['abcdefgh', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['Passw0rd!', '密码过于常见，容易被猜中，请换一个'],
    ['P@ssw0rd', '密码过于常见，容易被猜中，请换一个'],
    ['Aa123456', '密码过于常见，容易被猜中，请换一个'],
    ['Qq123456', '密码过于常见，容易被猜中，请换一个'],
    ['qQ123456', '密码过于常见，容易被猜中，请换一个'],
    ['Abc@1234', '密码过于常见，容易被猜中，请换一个'],
    ['1qaz@WSX', '密码过于常见，容易被猜中，请换一个'],
    ['Woaini1314', '密码过于常见，容易被猜中，请换一个'],
    ['5201314Aa', '密码过于常见，容易被猜中，请换一个'],
    ['Admin@123', '密码过于常见，容易被猜中，请换一个'],
    ['Zhang@123456', '密码过于常见，容易被猜中，请换一个'],
    ['Good\u0000Pass1', '密码不能包含控制字符'],
    ['Good\nPass12', '密码不能包含控制字符'],
    ['Good\u007fPass1', '密码不能包含控制字符'],
    ['ZhangWei@2021', '密码不能包含用户名'],
    ['x'.repeat(120) + 'Aa1!Bb2@Cc', '密码最多 128 位'],
  ])('refuses %j: %s', (password, message) => {
    expect(passwordProblem(password, opts())).toBe(message);
  });

  it('asks for all four character classes when the county policy says 4, and words the rules to match', () => {
    const four = { ...opts(), minCharClasses: 4 };
    expect(passwordProblem('Village2021', four)).toBe('密码须包含大写字母、小写字母、数字、符号中的全部四类');
    expect(passwordProblem('Village#2021', four)).toBeNull();
    expect(passwordProblem('Village2021', opts())).toBeNull();
    expect(passwordRules(12, 4, 8)).toEqual(
      expect.arrayContaining(['至少 12 位，最多 128 位', '包含大写字母、小写字母、数字、符号中的全部四类', '不能与最近 8 次使用过的密码相同']),
    );
    expect(passwordRules(8)).toContain('包含大写字母、小写字母、数字、符号中的至少三类');
  });

  it('ships a list of a few thousand lower-case common passwords without the demo password', () => {
    expect(blocklist.size).toBeGreaterThan(3000);
    expect(blocklist.has('demo@2021')).toBe(false);
    for (const p of ['password1', 'qwerty12', '1234567a', 'passw0rd!', 'aa123456', 'abc@1234', 'woaini1314', '5201314a', 'zxcvbnm1', '1qaz2wsx', 'qq123456']) {
      expect([p, blocklist.has(p)]).toEqual([p, true]);
    }
    expect([...blocklist].every((p) => p === p.toLowerCase())).toBe(true);
  });
});

describe('PasswordPolicy.changeRequired', () => {
  const user = (username: string, changedDaysAgo: number, mustChange = false) => ({
    username,
    credential: { changedAt: new Date(Date.now() - changedDaysAgo * DAY_MS), mustChange },
  });
  // No county's policy is read here (no database): changeRequired falls back to the configured defaults.
  const policy = (env: Record<string, string> = {}) =>
    new PasswordPolicy(loadConfig({ DATABASE_URL: 'postgres://x/y', ...env }), new Clock(), null as never, null as never);

  it('after PASSWORD_MAX_AGE_DAYS, or when an admin gave the password', () => {
    const p = policy();
    expect(p.changeRequired(user('zhangwei', 89))).toBe(false);
    expect(p.changeRequired(user('zhangwei', 90.01))).toBe(true);
    expect(p.changeRequired(user('zhangwei', 0, true))).toBe(true);
    expect(policy({ PASSWORD_MAX_AGE_DAYS: '0' }).changeRequired(user('zhangwei', 400))).toBe(false);
  });

  it('exempts the demo accounts in demo mode only', () => {
    expect(policy({ DEMO_DATA: 'true' }).changeRequired(user('leader', 400, true))).toBe(false);
    expect(policy({ DEMO_DATA: 'true' }).changeRequired(user('zhangwei', 400))).toBe(true);
    expect(policy({ DEMO_DATA: 'false' }).changeRequired(user('leader', 400))).toBe(true);
  });

  it('defaults: 5 failures lock for 30 minutes, 60 logins a minute per address, 8 characters, 90 days, last 5', () => {
    const c = loadConfig({});
    expect([
      c.LOGIN_MAX_FAILURES,
      c.LOGIN_LOCK_MINUTES,
      c.LOGIN_RATE_LIMIT,
      c.PASSWORD_MIN_LENGTH,
      c.PASSWORD_MAX_AGE_DAYS,
      c.PASSWORD_HISTORY,
      c.PASSWORD_CHANGE_ON_ADMIN_SET,
    ]).toEqual([5, 30, 60, 8, 90, 5, true]);
  });
});
