import { MigrationInterface, QueryRunner } from 'typeorm';
import { residentIdKeys } from '../src/common/crypto/resident-id-keys';

const BATCH = 1000;

/**
 * Resident ID numbers encrypted at rest (等保 数据保密性): the plaintext
 * column becomes `household_id_cipher` (AES-256-GCM, `<key id>:<base64>`)
 * and `household_id_index` (HMAC-SHA-256 with the index key) for exact search
 * and duplicates. Existing numbers are encrypted here, with the keys the
 * process loaded from its configuration (the service and `npm run migrate`
 * load them before migrating); the plaintext column is then dropped.
 */
export class ResidentIdEncryption1763880100000 implements MigrationInterface {
  name = 'ResidentIdEncryption1763880100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "problem_items" ADD "household_id_cipher" text`);
    await queryRunner.query(`ALTER TABLE "problem_items" ADD "household_id_index" character(64)`);
    for (;;) {
      const rows: Array<{ id: string; n: string }> = await queryRunner.query(
        `SELECT id, household_id_number AS n FROM problem_items WHERE household_id_number IS NOT NULL AND household_id_cipher IS NULL LIMIT ${BATCH}`,
      );
      if (rows.length === 0) break;
      const keys = residentIdKeys();
      await queryRunner.query(
        `UPDATE problem_items p SET household_id_cipher = v.c, household_id_index = v.x
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, c, x) WHERE p.id = v.id`,
        [rows.map((r) => r.id), rows.map((r) => keys.encrypt(r.n)), rows.map((r) => keys.index(r.n))],
      );
    }
    await queryRunner.query(`ALTER TABLE "problem_items" DROP COLUMN "household_id_number"`);
    await queryRunner.query(
      `CREATE INDEX "ix_problem_items_household" ON "problem_items" ("campaign_id", "household_id_index") WHERE household_id_index IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_problem_items_household"`);
    await queryRunner.query(`ALTER TABLE "problem_items" ADD "household_id_number" character varying(18)`);
    const rows: Array<{ id: string; c: string }> = await queryRunner.query(
      `SELECT id, household_id_cipher AS c FROM problem_items WHERE household_id_cipher IS NOT NULL`,
    );
    if (rows.length) {
      const keys = residentIdKeys();
      await queryRunner.query(`UPDATE problem_items p SET household_id_number = v.n FROM unnest($1::uuid[], $2::text[]) AS v(id, n) WHERE p.id = v.id`, [
        rows.map((r) => r.id),
        rows.map((r) => keys.decrypt(r.c)),
      ]);
    }
    await queryRunner.query(`ALTER TABLE "problem_items" DROP COLUMN "household_id_index"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP COLUMN "household_id_cipher"`);
  }
}
