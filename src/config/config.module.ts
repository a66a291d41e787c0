import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwtSecret } from '../auth/jwt-secret';
import { Clock } from '../common/clock';
import { ChainKeys, loadChainKeys } from '../signatures/chain-keys';
import { AppConfig } from './app-config';

/** Provides the validated AppConfig, the keys derived from it (access tokens, signature and audit chains), and the clock, everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: JwtSecret, useValue: new JwtSecret(config) },
        { provide: ChainKeys, useValue: loadChainKeys(config) },
        Clock,
      ],
      exports: [AppConfig, JwtSecret, ChainKeys, Clock],
    };
  }
}
