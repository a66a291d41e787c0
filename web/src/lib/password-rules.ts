/**
 * What the console can check of the server's password policy before sending
 * (length, character classes, control characters, the username). The list of
 * common passwords and the reuse of recent ones are checked by the server only;
 * its field errors are shown beside the field.
 */
export function passwordProblem(password: string | undefined, username?: string, minLength = 8): string | null {
  if (!password) return '请输入密码';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(password)) return '密码不能包含控制字符';
  const length = [...password].length;
  if (length < minLength) return `密码至少 ${minLength} 位`;
  if (length > 128) return '密码最多 128 位';
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}

/** The password policy in words, for forms that set a password (the server sends its own list on /api/auth/me). */
export const PASSWORD_HINT = '至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名或是常见密码';
