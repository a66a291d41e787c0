/**
 * Small pieces of the second-factor pages that need no React: how a secret
 * is shown for typing by hand, what the saved recovery-code file says, and
 * which login step the server's answer leads to.
 */

/** A base32 secret in groups of four, as authenticator apps accept it typed with or without spaces. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/** Six digits, as an authenticator shows them (spaces the user typed are dropped). */
export function sixDigits(input: string | undefined): string | null {
  const s = (input ?? '').replace(/\s/g, '');
  return /^\d{6}$/.test(s) ? s : null;
}

/** The text of the recovery-code file the user downloads (CRLF: it opens as it should in Windows Notepad). */
export function recoveryCodesText(codes: string[], account: { username: string; displayName?: string }, issuedAt: Date): string {
  const day = new Date(issuedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return [
    '清零 · 双因素认证恢复码',
    `账号：${account.displayName ? `${account.displayName}（${account.username}）` : account.username}`,
    `生成日期：${day}`,
    '',
    ...codes.map((c, i) => `${String(i + 1).padStart(2, ' ')}. ${c}`),
    '',
    '手机（身份验证器）不在身边时，登录时可用一个恢复码代替动态验证码。',
    '每个恢复码只能使用一次；重新生成后，这里的恢复码全部作废。请妥善保管，不要与他人共享。',
    '',
  ].join('\r\n');
}

/** The file name for those codes. */
export function recoveryCodesFileName(username: string): string {
  return `清零恢复码-${username}.txt`;
}

/** Which step of the login form an answer of the API leads to. */
export type LoginStep = 'password' | 'totp';
export function nextLoginStep(current: LoginStep, errorCode: string | undefined): LoginStep {
  if (errorCode === 'TOTP_REQUIRED' || errorCode === 'TOTP_INVALID') return 'totp';
  // A wrong password (or an account that got locked meanwhile) starts over at the password.
  if (errorCode === 'INVALID_CREDENTIALS') return 'password';
  return current;
}
