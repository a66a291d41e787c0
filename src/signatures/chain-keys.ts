import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { keptSecret, localKeyId } from '../common/crypto/kept-secret';
import { AppConfig } from '../config/app-config';

/**
 * The keys signature links are sealed with (HMAC-SHA-256). Each link stores
 * the id of its key, so a rotated-out key stays usable for verification
 * (CHAIN_KEYS_RETIRED) while new links use the current one. Whoever can
 * only change the database cannot recompute a link without the key.
 */
export class ChainKeys {
  private readonly secrets: ReadonlyMap<string, Buffer>;

  constructor(
    readonly currentId: string,
    secrets: ReadonlyMap<string, Buffer>,
  ) {
    if (!secrets.has(currentId)) throw new Error(`no chain key ${currentId}`);
    this.secrets = secrets;
  }

  get current(): Buffer {
    return this.secrets.get(this.currentId)!;
  }

  /** The key of `id`, or undefined when it is not configured (the link cannot be verified). */
  get(id: string): Buffer | undefined {
    return this.secrets.get(id);
  }
}

/** A key for development and tests on an external database without CHAIN_KEY (never in production: the configuration refuses). */
const DEVELOPMENT_KEY = 'qingling-development-chain-key-not-for-production';

/**
 * The chain keys from the configuration: CHAIN_KEY (current, CHAIN_KEY_ID)
 * and CHAIN_KEYS_RETIRED. Without CHAIN_KEY, embedded mode makes a key once
 * and keeps it next to the database (`chain-keys.json`, owner-only); an
 * in-memory database gets one per process; an external database outside
 * production uses a fixed development key, with a warning.
 */
export function loadChainKeys(config: AppConfig): ChainKeys {
  const secrets = new Map<string, Buffer>();
  for (const pair of config.CHAIN_KEYS_RETIRED?.split(',') ?? []) {
    const at = pair.indexOf(':');
    secrets.set(pair.slice(0, at), Buffer.from(pair.slice(at + 1)));
  }
  if (config.CHAIN_KEY) {
    secrets.set(config.CHAIN_KEY_ID, Buffer.from(config.CHAIN_KEY));
    return new ChainKeys(config.CHAIN_KEY_ID, secrets);
  }
  if (config.embedded) {
    const own = keptSecret(config, 'chain-keys.json', () => ({ id: localKeyId(), key: randomBytes(32).toString('base64') }));
    secrets.set(own.id, Buffer.from(own.key));
    return new ChainKeys(own.id, secrets);
  }
  new Logger('ChainKeys').warn('CHAIN_KEY is not set: signatures are sealed with the public development key (set CHAIN_KEY outside development)');
  secrets.set('dev', Buffer.from(DEVELOPMENT_KEY));
  return new ChainKeys('dev', secrets);
}
