import { directlySettable, passwordProblem, rolesForUnitKind, rolesProblem } from './user-roles';

describe('rolesForUnitKind', () => {
  it('offers the county roles for the county and the leader role only in a township', () => {
    expect(rolesForUnitKind('county')).toEqual(['county_office', 'admin', 'security_admin', 'auditor']);
    expect(rolesForUnitKind('township')).toEqual(['investigator', 'township_leader']);
    expect(rolesForUnitKind('supervision_group')).toEqual(['inspector']);
    expect(rolesForUnitKind(undefined)).toHaveLength(8);
  });
});

describe('rolesProblem', () => {
  it('refuses admin, security admin or auditor together with another role', () => {
    expect(rolesProblem(['admin', 'county_office'], 'county')).toBe('系统管理员只能单独授予，不能与其他角色同时持有');
    expect(rolesProblem(['security_admin', 'auditor'], 'county')).toBe('安全管理员只能单独授予，不能与其他角色同时持有');
    expect(rolesProblem(['auditor'], 'county')).toBeNull();
  });
  it('refuses a role that does not fit the unit', () => {
    expect(rolesProblem(['township_leader'], 'village')).toBe('乡镇分管负责人不能授予该单位的人员');
    expect(rolesProblem(['investigator', 'township_leader'], 'township')).toBeNull();
  });
  it('allows no role at all (an account waiting for the security admin)', () => {
    expect(rolesProblem([], 'county')).toBeNull();
  });
});

describe('directlySettable', () => {
  it('lets a security admin add ordinary roles, keep or remove any, and add a privileged one only through a request', () => {
    expect(directlySettable('investigator', [])).toBe(true);
    expect(directlySettable('county_office', [])).toBe(false);
    expect(directlySettable('security_admin', [])).toBe(false);
    expect(directlySettable('county_office', ['county_office'])).toBe(true);
  });
});

describe('passwordProblem', () => {
  it('follows the server rule', () => {
    expect(passwordProblem('Demo@2021')).toBeNull();
    expect(passwordProblem('abc12')).toBe('密码至少 8 位');
    expect(passwordProblem('abcdefgh')).toBe('密码须包含大写字母、小写字母、数字、符号中的至少三类');
    expect(passwordProblem('')).toBe('请输入密码');
  });
});
