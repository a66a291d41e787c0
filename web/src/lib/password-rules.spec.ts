import { passwordProblem } from './password-rules';

describe('passwordProblem (the part of the server policy the console checks)', () => {
  it('accepts the demo password and strong ones', () => {
    expect(passwordProblem('Demo@2021')).toBeNull();
    expect(passwordProblem('Village2021', 'cadre9')).toBeNull();
  });
  it('names the rule that fails', () => {
    expect(passwordProblem('')).toBe('请输入密码');
    expect(passwordProblem('Ab1!')).toBe('密码至少 8 位');
    expect(passwordProblem('password1')).toBe('密码须包含大写字母、小写字母、数字、符号中的至少三类');
    expect(passwordProblem('1234567a')).toBe('密码须包含大写字母、小写字母、数字、符号中的至少三类');
    expect(passwordProblem('Good\u0000Pass1')).toBe('密码不能包含控制字符');
    expect(passwordProblem('Cadre9@Hello', 'cadre9')).toBe('密码不能包含用户名');
  });
});
