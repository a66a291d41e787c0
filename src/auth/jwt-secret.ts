import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/**
 * The access-token signing key. Without JWT_SECRET (allowed outside
 * production) a random key is made per process: access tokens then end with
 * a restart, and clients get new ones through their refresh tokens.
 */
export class JwtSecret {
  readonly value: string;
  constructor(config: AppConfig) {
    this.value = config.JWT_SECRET ?? randomBytes(48).toString('base64');
  }
}
