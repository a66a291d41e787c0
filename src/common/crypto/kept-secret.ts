import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../../config/app-config';

/**
 * Key material of the embedded demo database, made on first start and kept
 * beside the data directory (`file`, readable by the service's user only), so
 * that a restart reads what was sealed before; an in-memory database gets
 * fresh material per process.
 */
export function keptSecret<T>(config: AppConfig, file: string, make: () => T): T {
  if (config.PGLITE_DATA_DIR.startsWith('memory://')) return make();
  const path = join(dirname(config.PGLITE_DATA_DIR), file);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as T;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const made = make();
  writeFileSync(path, JSON.stringify(made), { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return made;
}

/** A new key id for kept material: `local-` and 8 hex digits. */
export const localKeyId = (): string => `local-${randomBytes(4).toString('hex')}`;
