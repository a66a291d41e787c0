import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, notifications and delegation: 委派 (delegations, and the
 * delegator a signature was signed for — null on every existing link, which
 * therefore hashes as before), the daily reminders' marks (each reminder goes
 * out once), and 督办通知书 receipt (签收) and reply (回复).
 */
export class NoticesDelegation1763900000000 implements MigrationInterface {
  name = 'NoticesDelegation1763900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "delegations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "org_unit_id" uuid NOT NULL, "delegator_id" uuid NOT NULL, "delegate_id" uuid NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "reason" text, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "ended_by_id" uuid, CONSTRAINT "ck_delegations_people" CHECK (delegate_id <> delegator_id), CONSTRAINT "ck_delegations_days" CHECK (ends_on >= starts_on), CONSTRAINT "PK_01f9fbbc9b3bf52236a4e951b19" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_delegations_delegator" ON "delegations"  ("delegator_id") `);
    await queryRunner.query(`CREATE INDEX "ix_delegations_delegate" ON "delegations"  ("delegate_id") `);
    await queryRunner.query(
      `CREATE TABLE "reminder_marks" ("key" character varying(200) NOT NULL, "county_id" uuid NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_acce048d7d5cf2364eb2cf4688a" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`ALTER TABLE "supervision_notices" ADD "acknowledged_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" ADD "acknowledged_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" ADD "acknowledged_by_name" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" ADD "reply" text`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" ADD "replied_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" ADD "replied_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" ADD "replied_by_name" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "signatures" ADD "on_behalf_of_id" uuid`);
    await queryRunner.query(`ALTER TABLE "signatures" ADD "on_behalf_of_name" character varying(64)`);
    await queryRunner.query(
      `ALTER TABLE "delegations" ADD CONSTRAINT "FK_954c5eafb70b12fcf6db5f8dab4" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "delegations" ADD CONSTRAINT "FK_8f68b1b5df103c1945bbc370f89" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "delegations" ADD CONSTRAINT "FK_65cb96f7573dd182ad4ec259f9a" FOREIGN KEY ("delegator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "delegations" ADD CONSTRAINT "FK_343ec2641e2831522ca623b7d80" FOREIGN KEY ("delegate_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reminder_marks" ADD CONSTRAINT "FK_211c4ee4790bbb744182ab82fc9" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reminder_marks" DROP CONSTRAINT "FK_211c4ee4790bbb744182ab82fc9"`);
    await queryRunner.query(`ALTER TABLE "delegations" DROP CONSTRAINT "FK_343ec2641e2831522ca623b7d80"`);
    await queryRunner.query(`ALTER TABLE "delegations" DROP CONSTRAINT "FK_65cb96f7573dd182ad4ec259f9a"`);
    await queryRunner.query(`ALTER TABLE "delegations" DROP CONSTRAINT "FK_8f68b1b5df103c1945bbc370f89"`);
    await queryRunner.query(`ALTER TABLE "delegations" DROP CONSTRAINT "FK_954c5eafb70b12fcf6db5f8dab4"`);
    // Links signed for somebody else lose that fact (their hashes then no longer verify): down is for development databases.
    await queryRunner.query(`ALTER TABLE "signatures" DROP COLUMN "on_behalf_of_name"`);
    await queryRunner.query(`ALTER TABLE "signatures" DROP COLUMN "on_behalf_of_id"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP COLUMN "replied_by_name"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP COLUMN "replied_by_id"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP COLUMN "replied_at"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP COLUMN "reply"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP COLUMN "acknowledged_by_name"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP COLUMN "acknowledged_by_id"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP COLUMN "acknowledged_at"`);
    await queryRunner.query(`DROP TABLE "reminder_marks"`);
    await queryRunner.query(`DROP INDEX "public"."ix_delegations_delegate"`);
    await queryRunner.query(`DROP INDEX "public"."ix_delegations_delegator"`);
    await queryRunner.query(`DROP TABLE "delegations"`);
  }
}
