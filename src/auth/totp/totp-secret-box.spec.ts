import { TotpSecretBox } from './totp-secret-box';

describe('TotpSecretBox (AES-256-GCM at rest)', () => {
  const box = new TotpSecretBox('a-key-that-is-at-least-thirty-two-characters');

  it('opens what it sealed; the sealed form does not contain the secret and differs each time', () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const a = box.seal(secret);
    const b = box.seal(secret);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(a.startsWith(`v1.${box.keyId}.`)).toBe(true);
    expect(box.open(a)).toBe(secret);
    expect(box.open(b)).toBe(secret);
  });

  it('refuses a value sealed with another key, naming both key ids', () => {
    const other = new TotpSecretBox('another-key-that-is-at-least-thirty-two-chars');
    expect(other.keyId).not.toBe(box.keyId);
    expect(() => other.open(box.seal('JBSWY3DPEHPK3PXP'))).toThrow(new RegExp(`${box.keyId}.*${other.keyId}`));
  });

  it('refuses an altered value (GCM authentication)', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP').split('.');
    const body = Buffer.from(sealed[4], 'base64url');
    body[0] ^= 1;
    sealed[4] = body.toString('base64url');
    expect(() => box.open(sealed.join('.'))).toThrow();
  });
});
