import { Module, OnApplicationBootstrap, Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { ChainKeys, loadChainKeys } from './chain-keys';
import { ChainSeal } from './chain-seal.entity';
import { Signature } from './signature.entity';
import { SignaturesService } from './signatures.service';

@Module({
  imports: [TypeOrmModule.forFeature([Signature, ChainSeal])],
  providers: [SignaturesService, { provide: ChainKeys, useFactory: loadChainKeys, inject: [AppConfig] }],
  exports: [SignaturesService, ChainKeys],
})
export class SignaturesModule implements OnApplicationBootstrap {
  constructor(private readonly signatures: SignaturesService) {}

  /** Chains with links from before chain keys existed are sealed once (SignaturesService.sealLegacyChains). */
  async onApplicationBootstrap(): Promise<void> {
    const { sealed, refused } = await this.signatures.sealLegacyChains();
    if (sealed.length) new Logger('SignaturesModule').log(`sealed ${sealed.length} signature chains written before chain keys`);
    if (refused.length)
      new Logger('SignaturesModule').warn(
        `${refused.length} signature chains written before chain keys do not hold and stay unsealed: ${refused.slice(0, 20).join(', ')}`,
      );
  }
}
