import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signing proves presence (等保 step-up): a session carries at most one
 * signing grant, obtained by entering the password again; only the grant's
 * SHA-256 and its end are kept. Down drops them: sessions then sign with
 * their access token alone.
 */
export class SigningGrant1763810000000 implements MigrationInterface {
  name = 'SigningGrant1763810000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "signing_grant_hash" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "signing_grant_expires_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "signing_grant_expires_at"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "signing_grant_hash"`);
  }
}
