import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * One transaction. A state change and everything it causes (signature,
 * notifications, idempotency record) are written in it, so they exist exactly
 * when the change does: nothing runs after the commit that could be lost.
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Work that writes with one statement (a workflow transition: the
   * engine's single data-modifying statement), which is atomic by itself:
   * no transaction around it, so no BEGIN and COMMIT round trips. Its reads
   * need none either, as the write is conditional on the row's version.
   */
  runSingleStatement<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return work(this.dataSource.manager);
  }
}
