import { groupSecret, nextLoginStep, recoveryCodesFileName, recoveryCodesText, sixDigits } from './totp';

describe('second-factor helpers', () => {
  it('groups a secret in fours for typing by hand', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupSecret('')).toBe('');
  });

  it('takes six digits, with spaces as some apps show them, and nothing else', () => {
    expect(sixDigits('123456')).toBe('123456');
    expect(sixDigits('123 456')).toBe('123456');
    for (const bad of [undefined, '', '12345', '1234567', '12a456']) expect(sixDigits(bad)).toBeNull();
  });

  it('writes the recovery codes file with the account, the day (China time) and the rules', () => {
    const text = recoveryCodesText(
      ['aaaa-bbbb-cccc-dddd', 'eeee-ffff-gggg-hhhh'],
      { username: 'county', displayName: '王芳' },
      new Date('2021-06-15T17:00:00Z'),
    );
    const lines = text.split('\r\n');
    expect(lines.slice(0, 6)).toEqual([
      '清零 · 双因素认证恢复码',
      '账号：王芳（county）',
      '生成日期：2021-06-16',
      '',
      ' 1. aaaa-bbbb-cccc-dddd',
      ' 2. eeee-ffff-gggg-hhhh',
    ]);
    expect(text).toContain('每个恢复码只能使用一次');
    expect(recoveryCodesFileName('county')).toBe('清零恢复码-county.txt');
  });

  it('goes to the code step when the server asks for it, back to the password when that was wrong', () => {
    expect(nextLoginStep('password', 'TOTP_REQUIRED')).toBe('totp');
    expect(nextLoginStep('totp', 'TOTP_INVALID')).toBe('totp');
    expect(nextLoginStep('totp', 'INVALID_CREDENTIALS')).toBe('password');
    expect(nextLoginStep('totp', 'NETWORK')).toBe('totp');
    expect(nextLoginStep('password', 'RATE_LIMITED')).toBe('password');
  });
});
