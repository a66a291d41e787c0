import { hashRecoveryCode, newRecoveryCode, newRecoveryCodeSalt, normalizeRecoveryCode, recoveryCodeMatches } from './recovery-codes';

describe('recovery codes', () => {
  it('are 16 characters of Crockford base32 in four groups, and differ', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('read back whatever way they are typed: case, spaces, hyphens, and i/l/o for 1/1/0', () => {
    const code = 'ab1c-0def-gh2j-k3mn';
    const stored = normalizeRecoveryCode(code);
    expect(stored).toBe('ab1c0defgh2jk3mn');
    for (const typed of ['AB1C-0DEF-GH2J-K3MN', 'ab1c 0def gh2j k3mn', 'abIc-Odef-gh2j-k3mn', 'ablc0defgh2jk3mn']) {
      expect(normalizeRecoveryCode(typed)).toBe(stored);
    }
  });

  it('refuse what cannot be a code: wrong length, other characters', () => {
    for (const bad of ['', '123456', 'ab1c-0def-gh2j-k3m', 'ab1c-0def-gh2j-k3mnp', 'ab1c-0def-gh2j-k3u!']) expect(normalizeRecoveryCode(bad)).toBeNull();
  });

  it('are stored salted: SHA-256 hex of a random 32-bit salt and the normalised form, so equal codes hash apart', () => {
    const salt = newRecoveryCodeSalt();
    expect(salt).toMatch(/^[0-9a-f]{8}$/);
    expect(newRecoveryCodeSalt()).not.toBe(salt);
    const hash = hashRecoveryCode('ab1c0defgh2jk3mn', salt);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('ab1c0defgh2jk3mn', 'ffffffff')).not.toBe(hashRecoveryCode('ab1c0defgh2jk3mn', '00000000'));
    expect(recoveryCodeMatches('ab1c0defgh2jk3mn', { salt, codeHash: hash })).toBe(true);
    expect(recoveryCodeMatches('ab1c0defgh2jk3mp', { salt, codeHash: hash })).toBe(false);
    expect(recoveryCodeMatches('ab1c0defgh2jk3mn', { salt: '00000000', codeHash: hash })).toBe(salt === '00000000');
  });
});
