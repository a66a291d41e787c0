import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login failures and password policy: a per-account failure counter and lock
 * on users (updated atomically, so every instance of the service agrees),
 * when the password was set and whether it must be changed, and the hashes of
 * recent passwords. Existing passwords count as set now and seed the history.
 */
export class LoginSecurity1763780000000 implements MigrationInterface {
  name = 'LoginSecurity1763780000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "failed_login_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await queryRunner.query(`ALTER TABLE "users" ADD "password_change_required" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `CREATE TABLE "password_history" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "user_id" uuid NOT NULL, "password_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_da65ed4600e5e6bc9315754a8b2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_password_history_user_time" ON "password_history"  ("user_id", "created_at") `);
    await queryRunner.query(
      `ALTER TABLE "password_history" ADD CONSTRAINT "FK_4cc8796f67caef2112d30141cfd" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "password_history" ADD CONSTRAINT "FK_4933dc7a01356ac0733a5ad52d9" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`INSERT INTO "password_history" ("county_id", "user_id", "password_hash") SELECT "county_id", "id", "password_hash" FROM "users"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "password_history" DROP CONSTRAINT "FK_4933dc7a01356ac0733a5ad52d9"`);
    await queryRunner.query(`ALTER TABLE "password_history" DROP CONSTRAINT "FK_4cc8796f67caef2112d30141cfd"`);
    await queryRunner.query(`DROP INDEX "public"."ix_password_history_user_time"`);
    await queryRunner.query(`DROP TABLE "password_history"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "password_change_required"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "password_changed_at"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "locked_until"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_login_count"`);
  }
}
