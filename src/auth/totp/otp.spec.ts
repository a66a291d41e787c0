import { base32Decode, base32Encode, newTotpSecret, totpCode, totpStepOf, totpUri } from './otp';

describe('TOTP (RFC 6238 through otplib) and base32 (RFC 4648)', () => {
  it('encodes and decodes the RFC 4648 base32 test vectors', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(Buffer.from(base32Decode(encoded)).toString()).toBe(plain);
    }
    expect(Buffer.from(base32Decode('mzxw 6ytb oi======')).toString()).toBe('foobar');
    expect(() => base32Decode('MZXW1')).toThrow(/invalid base32/);
  });

  it('gives the RFC 6238 appendix B codes (SHA-1 seed, last six digits)', async () => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    const expected: Array<[number, string]> = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
      [20000000000, '353130'],
    ];
    for (const [time, code] of expected) expect(await totpCode(secret, time)).toBe(code);
  });

  it('finds the step of a code one step either side of now, not two', async () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const now = 1_700_000_015; // the middle of step 56_666_667
    const step = Math.floor(now / 30);
    for (const d of [-1, 0, 1]) expect(await totpStepOf(secret, await totpCode(secret, now + d * 30), now)).toBe(step + d);
    for (const d of [-2, 2]) expect(await totpStepOf(secret, await totpCode(secret, now + d * 30), now)).toBeNull();
  });

  it('writes the otpauth:// URI with issuer and account', () => {
    const uri = new URL(totpUri('JBSWY3DPEHPK3PXP', '清零', 'county'));
    expect([uri.protocol, uri.host, decodeURIComponent(uri.pathname)]).toEqual(['otpauth:', 'totp', '/清零:county']);
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('issuer')).toBe('清零');
  });
});
