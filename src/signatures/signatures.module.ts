import { Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { sealLegacyAuditEvents } from '../audit/audit-integrity';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { runExclusive } from '../database/exclusive-job';
import { AnchorsController } from './anchors.controller';
import { writeAnchors } from './chain-audit';
import { ChainKeys } from './chain-keys';
import { ChainSeal } from './chain-seal.entity';
import { Signature } from './signature.entity';
import { SignaturesService } from './signatures.service';

/** The advisory lock's name of the hourly anchors and audit purge (runExclusive). */
export const ANCHOR_JOB = 'anchors-and-purge';

/** How often the days that have ended get their anchors. */
const ANCHOR_EVERY_MS = 60 * 60_000;

@Module({
  imports: [TypeOrmModule.forFeature([Signature, ChainSeal])],
  controllers: [AnchorsController],
  providers: [SignaturesService],
  exports: [SignaturesService],
})
export class SignaturesModule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SignaturesModule');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly signatures: SignaturesService,
    private readonly dataSource: DataSource,
    private readonly keys: ChainKeys,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Chains with links from before chain keys existed are sealed once
   * (SignaturesService.sealLegacyChains); the days that have ended get their
   * anchors now and every hour. Each runs in one instance at a time
   * (runExclusive): instances that start together, or whose hourly rounds
   * meet, neither write an anchor twice nor record a purge twice.
   */
  async onApplicationBootstrap(): Promise<void> {
    await runExclusive(this.dataSource, 'legacy-seals', async () => {
      const { sealed, refused } = await this.signatures.sealLegacyChains();
      if (sealed.length) this.logger.log(`sealed ${sealed.length} signature chains written before chain keys`);
      if (refused.length)
        this.logger.warn(`${refused.length} signature chains written before chain keys do not hold and stay unsealed: ${refused.slice(0, 20).join(', ')}`);
      const auditSealed = await sealLegacyAuditEvents((sql, p) => this.dataSource.query(sql, p), this.keys);
      if (auditSealed) this.logger.log(`sealed ${auditSealed} audit events written before audit seals`);
    });
    await this.anchor();
    this.timer = setInterval(() => void this.anchor(), ANCHOR_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One round of anchors and the audit purge; skipped when another instance is doing it (answers false). */
  async anchor(): Promise<boolean> {
    try {
      return (await runExclusive(this.dataSource, ANCHOR_JOB, () => this.anchorAndPurge())) ?? false;
    } catch (e) {
      this.logger.error(`daily anchors or audit purge not done: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  private async anchorAndPurge(): Promise<true> {
    const written = await writeAnchors((sql, p) => this.dataSource.query(sql, p), this.keys, this.clock.now());
    if (written) this.logger.log(`wrote ${written} daily anchors of the signature chains and audit log`);
    // Only after the days are anchored: a purged day's anchor still vouches for what was signed on it.
    const purged = await this.audit.purge(this.config.AUDIT_RETENTION_MONTHS);
    if (purged) this.logger.log(`purged ${purged} audit events older than ${this.config.AUDIT_RETENTION_MONTHS} months`);
    return true;
  }
}
