import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/**
 * The access-token signing key. Without JWT_SECRET (allowed outside
 * production) a random key is made per process: access tokens then end with
 * a restart, and clients get new ones through their refresh tokens.
 */
export class JwtSecret {
  readonly value: string;
  /**
   * The same key as a KeyObject for verification: given a string, jsonwebtoken
   * first tries to parse it as a public key and only falls back to a secret
   * after that throws — on every request (about half a millisecond, bench/README.md).
   */
  readonly key: KeyObject;
  constructor(config: AppConfig) {
    this.value = config.JWT_SECRET ?? randomBytes(48).toString('base64');
    this.key = createSecretKey(Buffer.from(this.value));
  }
}
