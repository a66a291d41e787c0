import { ApiError } from './api-error';
import { createSigningGrantHolder, GRANT_MARGIN_MS, isSigningGrantRefusal } from './signing-grant';

describe('signing grant in memory', () => {
  it('offers a grant until shortly before it ends, timed by the server’s expiresIn', () => {
    let now = 1_000_000;
    const grants = createSigningGrantHolder(() => now);
    expect(grants.current()).toBeNull();
    grants.hold('g1', 300);
    expect(grants.current()).toBe('g1');
    now += 300_000 - GRANT_MARGIN_MS - 1;
    expect(grants.current()).toBe('g1');
    now += 1;
    expect(grants.current()).toBeNull();
  });

  it('replaces the grant with a newer one and forgets it when dropped, telling subscribers', () => {
    const grants = createSigningGrantHolder(() => 0);
    const seen: string[] = [];
    const stop = grants.subscribe(() => seen.push(grants.current() ?? 'none'));
    grants.hold('g1', 300);
    grants.hold('g2', 300);
    expect(grants.current()).toBe('g2');
    grants.drop();
    grants.drop();
    stop();
    grants.hold('g3', 300);
    expect(seen).toEqual(['g1', 'g2', 'none']);
  });

  it('knows the server’s refusals of a signature for its grant from any other error', () => {
    expect(isSigningGrantRefusal(new ApiError(403, 'SIGNING_GRANT_REQUIRED', '请输入登录密码确认签字'))).toBe(true);
    expect(isSigningGrantRefusal(new ApiError(403, 'SIGNING_GRANT_INVALID', '签字确认已过期，请重新输入登录密码'))).toBe(true);
    expect(isSigningGrantRefusal(new ApiError(403, 'FORBIDDEN', '无权'))).toBe(false);
    expect(isSigningGrantRefusal(new ApiError(401, 'INVALID_CREDENTIALS', '密码不正确'))).toBe(false);
    expect(isSigningGrantRefusal(new Error('SIGNING_GRANT_INVALID'))).toBe(false);
  });
});
