import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwtSecret } from '../auth/jwt-secret';
import { Clock } from '../common/clock';
import { AppConfig } from './app-config';

/** Provides the validated AppConfig, the one signing key derived from it, and the clock, everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }, { provide: JwtSecret, useValue: new JwtSecret(config) }, Clock],
      exports: [AppConfig, JwtSecret, Clock],
    };
  }
}
