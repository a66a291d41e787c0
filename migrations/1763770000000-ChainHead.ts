import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The head of each signature chain (last seq and last hash) on its subject's
 * row, written in the same UPDATE as the snapshot: appending a signature reads
 * no signature, and a chain shorter than its head has lost links. Existing
 * rows are backfilled from their chains.
 */
export class ChainHead1763770000000 implements MigrationInterface {
  name = 'ChainHead1763770000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['problem_items', 'campaigns']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "chain_seq" integer NOT NULL DEFAULT 0`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "chain_head" character(64)`);
      await queryRunner.query(
        `UPDATE "${table}" t SET chain_seq = s.seq, chain_head = s.hash
           FROM (SELECT DISTINCT ON (subject_id) subject_id, seq, hash FROM signatures ORDER BY subject_id, seq DESC) s
          WHERE s.subject_id = t.id`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['campaigns', 'problem_items']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "chain_head"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "chain_seq"`);
    }
  }
}
