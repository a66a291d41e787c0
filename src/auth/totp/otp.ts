import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generate, verify } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { randomBytes } from 'node:crypto';

/**
 * TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps — what every
 * authenticator app defaults to) through otplib's TOTP package with Node's
 * own crypto. Not the `otplib` bundle: its default plugins pull in two
 * packages published only as ES modules, which jest's CommonJS runtime cannot
 * load. The bundle's base32 plugin is replaced by the RFC 4648 codec below.
 */
export const TOTP_PERIOD = 30;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, without padding (as otpauth:// URIs carry secrets). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** RFC 4648 base32 back to bytes; case, spaces and padding are ignored, any other character throws. */
export function base32Decode(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of clean) {
    const value = ALPHABET.indexOf(c);
    if (value < 0) throw new Error(`invalid base32 character ${JSON.stringify(c)}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

const plugins = { crypto: new NodeCryptoPlugin(), base32: { name: 'rfc4648', encode: base32Encode, decode: base32Decode } };

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The otpauth:// URI authenticator apps scan (Key Uri Format: `otpauth://totp/issuer:account?secret=…&issuer=…`). */
export function totpUri(secret: string, issuer: string, account: string): string {
  return generateTOTP({ issuer, label: account, secret, period: TOTP_PERIOD });
}

/** The code of `secret` at `epochSeconds`. */
export function totpCode(secret: string, epochSeconds: number): Promise<string> {
  return generate({ secret, epoch: epochSeconds, period: TOTP_PERIOD, ...plugins });
}

/**
 * The RFC 6238 time step `code` belongs to, looking one step either side of
 * `epochSeconds` (constant-time comparison); null when it matches none.
 */
export async function totpStepOf(secret: string, code: string, epochSeconds: number): Promise<number | null> {
  const result = await verify({ secret, token: code, epoch: epochSeconds, period: TOTP_PERIOD, epochTolerance: TOTP_PERIOD, ...plugins });
  return result.valid ? result.timeStep : null;
}
