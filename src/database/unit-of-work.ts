import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type AfterCommit = (effect: () => Promise<void>) => void;

/**
 * One transaction plus the effects to run once it has committed (never before,
 * never after a rollback). Effects that fail are logged, not rethrown: the
 * change they follow is already durable.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger('UnitOfWork');
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: EntityManager, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
    const effects: Array<() => Promise<void>> = [];
    const result = await this.dataSource.transaction((tx) => work(tx, (e) => effects.push(e)));
    for (const effect of effects) {
      await effect().catch((e: unknown) => this.logger.error(`effect failed: ${e instanceof Error ? e.message : String(e)}`));
    }
    return result;
  }
}
