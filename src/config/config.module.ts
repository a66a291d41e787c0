import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwtSecret } from '../auth/jwt-secret';
import { Clock } from '../common/clock';
import { loadResidentIdKeys, ResidentIdKeys, useResidentIdKeys } from '../common/crypto/resident-id-keys';
import { ChainKeys, loadChainKeys } from '../signatures/chain-keys';
import { AppConfig } from './app-config';

/** Provides the validated AppConfig, the keys derived from it (access tokens, signature and audit chains, resident ID numbers), and the clock, everywhere. */
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
        // Registered for the entity column and the migrations, which have no injector; made before either runs.
        { provide: ResidentIdKeys, useValue: useResidentIdKeys(loadResidentIdKeys(config)) },
        Clock,
      ],
      exports: [AppConfig, JwtSecret, ChainKeys, ResidentIdKeys, Clock],
    };
  }
}
