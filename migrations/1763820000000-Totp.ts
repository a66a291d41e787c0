import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Second factor (TOTP, RFC 6238): one row per user who has enrolled or is
 * enrolling an authenticator (secrets sealed with AES-256-GCM, the last
 * accepted time step against replay), and their single-use recovery codes,
 * stored only as salted hashes. Down drops both: every user logs in with a password alone.
 */
export class Totp1763820000000 implements MigrationInterface {
  name = 'Totp1763820000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_totp" ("user_id" uuid NOT NULL, "county_id" uuid NOT NULL, "secret" text, "enabled_at" TIMESTAMP WITH TIME ZONE, "last_used_step" integer, "pending_secret" text, "pending_since" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_user_totp_pending" CHECK ((pending_since IS NULL) = (pending_secret IS NULL)), CONSTRAINT "ck_user_totp_enabled" CHECK ((enabled_at IS NULL) = (secret IS NULL)), CONSTRAINT "PK_04aa6aca4a656f0d4e1fd30ab10" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "totp_recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "user_id" uuid NOT NULL, "salt" character(8) NOT NULL, "code_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d7156f4a16f70eb55911ad41901" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_totp_recovery_codes_user" ON "totp_recovery_codes"  ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "user_totp" ADD CONSTRAINT "FK_04aa6aca4a656f0d4e1fd30ab10" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_totp" ADD CONSTRAINT "FK_32e0f2e92c52193c9d6e1afd9f4" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "totp_recovery_codes" ADD CONSTRAINT "FK_73a674efb648425559e312610c0" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "totp_recovery_codes" ADD CONSTRAINT "FK_7b5306af9f656dd4651b0f814b8" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "totp_recovery_codes" DROP CONSTRAINT "FK_7b5306af9f656dd4651b0f814b8"`);
    await queryRunner.query(`ALTER TABLE "totp_recovery_codes" DROP CONSTRAINT "FK_73a674efb648425559e312610c0"`);
    await queryRunner.query(`ALTER TABLE "user_totp" DROP CONSTRAINT "FK_32e0f2e92c52193c9d6e1afd9f4"`);
    await queryRunner.query(`ALTER TABLE "user_totp" DROP CONSTRAINT "FK_04aa6aca4a656f0d4e1fd30ab10"`);
    await queryRunner.query(`DROP INDEX "public"."ix_totp_recovery_codes_user"`);
    await queryRunner.query(`DROP TABLE "totp_recovery_codes"`);
    await queryRunner.query(`DROP TABLE "user_totp"`);
  }
}
