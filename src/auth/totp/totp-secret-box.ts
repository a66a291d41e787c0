import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
/**
 * Fallback key material when neither TOTP_ENCRYPTION_KEY nor JWT_SECRET is
 * set (only outside production with an external database, see loadConfig):
 * the secrets are then encrypted, but with a key anyone can read here.
 */
export const DEVELOPMENT_KEY_MATERIAL = 'qingling-development-totp-key-not-for-production';

/**
 * Seals TOTP secrets at rest with AES-256-GCM. The key is derived (HKDF-SHA256)
 * from configured key material, so any string of 32+ characters will do.
 * A sealed value is `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url); the key id
 * (a fingerprint of the key, not the key) tells an operator which key sealed it
 * when a changed key makes it unreadable.
 */
export class TotpSecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(keyMaterial: string) {
    this.key = Buffer.from(hkdfSync('sha256', keyMaterial, 'qingling', 'totp-secret-encryption', 32));
    this.keyId = createHash('sha256').update(this.key).digest('base64url').slice(0, 8);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The secret; throws (naming both key ids) when it was sealed with another key or altered. */
  open(sealed: string): string {
    const [version, keyId, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !keyId || !iv || !tag || body === undefined) throw new Error('TOTP secret: unknown format');
    if (keyId !== this.keyId)
      throw new Error(`TOTP secret sealed with key ${keyId}, configured key is ${this.keyId} (TOTP_ENCRYPTION_KEY / JWT_SECRET changed?)`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
