import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyed signature links: each link names the chain key that sealed it
 * (HMAC-SHA-256); links written before keys existed keep a null key id and
 * their plain SHA-256 hash. Those chains are sealed once, at start-up, by a
 * row in `chain_seals` (an HMAC of the last unkeyed link), so that they too
 * cannot be rewritten without the key; the row is append-only like the links.
 */
export class ChainKeys1763850000000 implements MigrationInterface {
  name = 'ChainKeys1763850000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "signatures" ADD "key_id" character varying(32)`);
    await queryRunner.query(
      `CREATE TABLE "chain_seals" (
        "subject_id" uuid PRIMARY KEY,
        "seq" integer NOT NULL,
        "hash" character(64) NOT NULL,
        "key_id" character varying(32) NOT NULL,
        "seal" character(64) NOT NULL,
        "sealed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
      )`,
    );
    await queryRunner.query(
      `CREATE TRIGGER chain_seals_immutable BEFORE UPDATE OR DELETE ON "chain_seals" FOR EACH ROW EXECUTE FUNCTION qingling_refuse_signature_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chain_seals"`);
    await queryRunner.query(`ALTER TABLE "signatures" DROP COLUMN "key_id"`);
  }
}
