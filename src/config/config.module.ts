import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwtSecret } from '../auth/jwt-secret';
import { AppConfig } from './app-config';

/** Provides the validated AppConfig (and the one signing key derived from it) everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: JwtSecret, useValue: new JwtSecret(config) },
      ],
      exports: [AppConfig, JwtSecret],
    };
  }
}
