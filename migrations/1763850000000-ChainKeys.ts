import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyed signature links: each link names the chain key that sealed it
 * (HMAC-SHA-256); links written before keys existed keep a null key id and
 * their plain SHA-256 hash. Those chains are sealed once, at start-up, by a
 * row in `chain_seals` (an HMAC of the last unkeyed link), so that they too
 * cannot be rewritten without the key; the row is append-only like the links.
 * Daily anchors (`chain_anchors`): per county and China calendar day, the
 * day's links folded into one digest, chained day to day and sealed with the
 * key, append-only too.
 */
export class ChainKeys1763850000000 implements MigrationInterface {
  name = 'ChainKeys1763850000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "signatures" ADD "key_id" character varying(32)`);
    await queryRunner.query(`CREATE INDEX "ix_signatures_county_signed" ON "signatures" ("county_id", "signed_at")`);
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
      `CREATE TABLE "chain_anchors" (
        "county_id" uuid NOT NULL REFERENCES "org_units"("id") ON DELETE RESTRICT,
        "day" date NOT NULL,
        "links" integer NOT NULL,
        "digest" character(64) NOT NULL,
        "prev_seal" character(64),
        "key_id" character varying(32) NOT NULL,
        "seal" character(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        PRIMARY KEY ("county_id", "day")
      )`,
    );
    for (const table of ['chain_seals', 'chain_anchors']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION qingling_refuse_signature_change()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION qingling_refuse_signature_change()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chain_anchors"`);
    await queryRunner.query(`DROP TABLE "chain_seals"`);
    await queryRunner.query(`DROP INDEX "ix_signatures_county_signed"`);
    await queryRunner.query(`ALTER TABLE "signatures" DROP COLUMN "key_id"`);
  }
}
