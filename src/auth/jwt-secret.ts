import { Logger } from '@nestjs/common';
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
    // One process's own key: a second instance on the same database refuses every token this one signs.
    if (!config.JWT_SECRET && !config.embedded)
      new Logger('JwtSecret').warn('JWT_SECRET is not set: access tokens are signed with a key of this process only; set it to run several instances');
    this.key = createSecretKey(Buffer.from(this.value));
  }
}
