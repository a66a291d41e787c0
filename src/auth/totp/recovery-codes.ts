import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Crockford's base32 alphabet (no i, l, o, u: nothing to misread when copying a code from paper). */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 16;
/** How many recovery codes a user holds at a time. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * A fresh recovery code as the user reads it, `xxxx-xxxx-xxxx-xxxx`: 16
 * random characters, 80 bits — short enough to type from paper. Below the
 * 112 bits at which a bare hash would do, so each is stored as SHA-256 with
 * its own random 32-bit salt (OWASP ASVS 2.6.2).
 */
export function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s.match(/.{4}/g)!.join('-');
}

/**
 * What the user typed, as stored: case, spaces and hyphens ignored, and the
 * letters Crockford's alphabet leaves out read as the digits they look like.
 * Null when it cannot be a recovery code at all.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const s = input.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
  return s.length === LENGTH && [...s].every((c) => ALPHABET.includes(c)) ? s : null;
}

/** A new salt for one code: 32 random bits, hex. */
export function newRecoveryCodeSalt(): string {
  return randomBytes(4).toString('hex');
}

/** SHA-256 (hex) of the salt and the normalised code. */
export function hashRecoveryCode(normalized: string, salt: string): string {
  return createHash('sha256').update(`${salt}:${normalized}`).digest('hex');
}

/** Whether a normalised code is the one stored as `salt` + `hash` (constant-time comparison). */
export function recoveryCodeMatches(normalized: string, stored: { salt: string; codeHash: string }): boolean {
  return timingSafeEqual(Buffer.from(hashRecoveryCode(normalized, stored.salt), 'hex'), Buffer.from(stored.codeHash, 'hex'));
}
