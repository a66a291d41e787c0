import { Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { ValueTransformer } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { keptSecret, localKeyId } from './kept-secret';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bound into every ciphertext, so a value cannot be moved into another kind of column and still decrypt. */
const AAD = Buffer.from('qingling:resident-id');

/** 32 key bytes from a configured secret of any length (HKDF-SHA-256, one purpose per key). */
function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.from('qingling'), Buffer.from(purpose), 32));
}

/**
 * Resident ID numbers (身份证号码) at rest (等保 数据保密性): AES-256-GCM,
 * stored as `<key id>:<base64 iv|tag|ciphertext>`, so that a rotated-out key
 * still decrypts what it sealed (ID_ENCRYPTION_KEYS_RETIRED) and
 * `npm run rotate:id-key` can re-encrypt; and a keyed index, HMAC-SHA-256
 * of the number with ID_INDEX_KEY, for exact search and duplicate detection
 * without decrypting — and without letting whoever holds only the database
 * try the few billion possible numbers.
 */
export class ResidentIdKeys {
  constructor(
    readonly currentId: string,
    private readonly encryption: ReadonlyMap<string, Buffer>,
    private readonly indexKey: Buffer,
  ) {
    if (!encryption.has(currentId)) throw new Error(`no resident ID key ${currentId}`);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryption.get(this.currentId)!, iv).setAAD(AAD);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${this.currentId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** The number, or null when the value does not decrypt (unknown key, altered bytes). */
  decrypt(stored: string): string | null {
    const at = stored.indexOf(':');
    const key = at > 0 ? this.encryption.get(stored.slice(0, at)) : undefined;
    if (!key) return null;
    try {
      const raw = Buffer.from(stored.slice(at + 1), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES)).setAAD(AAD);
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** Whether `stored` was sealed with a key other than the current one. */
  isStale(stored: string): boolean {
    return !stored.startsWith(`${this.currentId}:`);
  }

  index(plain: string): string {
    return createHmac('sha256', this.indexKey).update(plain.toUpperCase()).digest('hex');
  }
}

/** Fixed keys for development and tests on an external database without configured keys (production refuses to start without them). */
const DEVELOPMENT = { encryption: 'qingling-development-id-key-not-for-production', index: 'qingling-development-id-index-not-for-production' };

/**
 * The keys from the configuration: ID_ENCRYPTION_KEY (current,
 * ID_ENCRYPTION_KEY_ID), ID_ENCRYPTION_KEYS_RETIRED and ID_INDEX_KEY.
 * Without them, embedded mode makes keys once and keeps them next to the
 * database (`id-keys.json`, owner-only); an in-memory database gets keys per
 * process; an external database outside production uses fixed development
 * keys, with a warning.
 */
export function loadResidentIdKeys(config: AppConfig): ResidentIdKeys {
  const encryption = new Map<string, Buffer>();
  for (const pair of config.ID_ENCRYPTION_KEYS_RETIRED?.split(',') ?? []) {
    const at = pair.indexOf(':');
    encryption.set(pair.slice(0, at), derive(pair.slice(at + 1), 'resident-id-encryption'));
  }
  let current: { id: string; key: string };
  let index: string;
  if (config.ID_ENCRYPTION_KEY && config.ID_INDEX_KEY) {
    current = { id: config.ID_ENCRYPTION_KEY_ID, key: config.ID_ENCRYPTION_KEY };
    index = config.ID_INDEX_KEY;
  } else if (config.embedded) {
    const kept = keptSecret(config, 'id-keys.json', () => ({
      encryption: { id: localKeyId(), key: randomBytes(32).toString('base64') },
      index: randomBytes(32).toString('base64'),
    }));
    current = kept.encryption;
    index = kept.index;
  } else {
    new Logger('ResidentIdKeys').warn('ID_ENCRYPTION_KEY / ID_INDEX_KEY are not set: resident ID numbers are encrypted with the public development keys');
    current = { id: 'dev', key: DEVELOPMENT.encryption };
    index = DEVELOPMENT.index;
  }
  encryption.set(current.id, derive(current.key, 'resident-id-encryption'));
  return new ResidentIdKeys(current.id, encryption, derive(index, 'resident-id-index'));
}

let active: ResidentIdKeys | undefined;

/**
 * The keys the entity column and the pure ledger code use: TypeORM builds a
 * column's transformer once, with no injector, so the one ResidentIdKeys of
 * the process (made from the configuration at start-up) is registered here.
 */
export function useResidentIdKeys(keys: ResidentIdKeys): ResidentIdKeys {
  active = keys;
  return keys;
}

export function residentIdKeys(): ResidentIdKeys {
  if (!active) throw new Error('resident ID keys are not loaded (useResidentIdKeys at start-up)');
  return active;
}

/** The keyed index of a resident ID number (null for none). */
export function residentIdIndex(plain: string | null | undefined): string | null {
  return plain ? residentIdKeys().index(plain) : null;
}

/** The column transformer: plaintext in the entity, ciphertext in the database. */
export const residentIdColumn: ValueTransformer = {
  to: (value: string | null | undefined) => (value ? residentIdKeys().encrypt(value) : value),
  from: (value: string | null) => (value ? residentIdKeys().decrypt(value) : value),
};
