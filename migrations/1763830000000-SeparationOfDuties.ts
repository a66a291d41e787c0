import { MigrationInterface, QueryRunner } from 'typeorm';

const ROLES_BEFORE = `'investigator', 'township_leader', 'county_office', 'department_staff', 'inspector', 'admin', 'auditor'`;
const ROLES_AFTER = `'investigator', 'township_leader', 'county_office', 'department_staff', 'inspector', 'admin', 'security_admin', 'auditor'`;

/**
 * 三权分立: the security_admin role; accounts without roles (an admin creates
 * the account, a security admin sets its roles); role grants in two hands
 * (admin proposes, security admin approves); each county's password policy.
 * Down: the old check knows neither security_admin nor role-less accounts, so
 * it takes security_admin from every user, and deactivates every account then
 * left without a role (giving it `auditor` only to satisfy the old check).
 */
export class SeparationOfDuties1763830000000 implements MigrationInterface {
  name = 'SeparationOfDuties1763830000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "ck_users_roles"`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "ck_users_roles" CHECK (roles <@ ARRAY[${ROLES_AFTER}]::text[])`);
    await queryRunner.query(
      `CREATE TABLE "role_grants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" character varying(32) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "proposed_by" uuid NOT NULL, "proposed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" character varying(200), "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_comment" character varying(200), CONSTRAINT "ck_role_grants_two_people" CHECK (decided_by IS NULL OR (decided_by <> proposed_by AND decided_by <> user_id)), CONSTRAINT "ck_role_grants_decided" CHECK ((status = 'pending') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)), CONSTRAINT "ck_role_grants_status" CHECK (status IN ('pending', 'approved', 'rejected')), CONSTRAINT "ck_role_grants_role" CHECK (role IN (${ROLES_AFTER})), CONSTRAINT "PK_f7cf33da46b9f884f2d459e0eff" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_role_grants_county_status" ON "role_grants"  ("county_id", "status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_role_grants_pending" ON "role_grants"  ("user_id", "role") WHERE status = 'pending'`);
    await queryRunner.query(
      `CREATE TABLE "password_policies" ("county_id" uuid NOT NULL, "min_length" integer NOT NULL, "min_char_classes" integer NOT NULL, "max_age_days" integer NOT NULL, "history_size" integer NOT NULL, "updated_by" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_password_policies_history" CHECK (history_size BETWEEN 1 AND 24), CONSTRAINT "ck_password_policies_max_age" CHECK (max_age_days BETWEEN 1 AND 365), CONSTRAINT "ck_password_policies_classes" CHECK (min_char_classes BETWEEN 3 AND 4), CONSTRAINT "ck_password_policies_min_length" CHECK (min_length BETWEEN 8 AND 64), CONSTRAINT "PK_3173e88eeb79a14ca3bab80802e" PRIMARY KEY ("county_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_grants" ADD CONSTRAINT "FK_4357289ec9704d891409eb1a00c" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_grants" ADD CONSTRAINT "FK_2b1c3c28ffbc09b85170c655d4b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_grants" ADD CONSTRAINT "FK_657928abb1c8632599f186a0bc8" FOREIGN KEY ("proposed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_grants" ADD CONSTRAINT "FK_37e277ecf9a40fa33183c42719a" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "password_policies" ADD CONSTRAINT "FK_3173e88eeb79a14ca3bab80802e" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "password_policies" ADD CONSTRAINT "FK_2688e47f70f74e538fe0b3b938c" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "password_policies" DROP CONSTRAINT "FK_2688e47f70f74e538fe0b3b938c"`);
    await queryRunner.query(`ALTER TABLE "password_policies" DROP CONSTRAINT "FK_3173e88eeb79a14ca3bab80802e"`);
    await queryRunner.query(`ALTER TABLE "role_grants" DROP CONSTRAINT "FK_37e277ecf9a40fa33183c42719a"`);
    await queryRunner.query(`ALTER TABLE "role_grants" DROP CONSTRAINT "FK_657928abb1c8632599f186a0bc8"`);
    await queryRunner.query(`ALTER TABLE "role_grants" DROP CONSTRAINT "FK_2b1c3c28ffbc09b85170c655d4b"`);
    await queryRunner.query(`ALTER TABLE "role_grants" DROP CONSTRAINT "FK_4357289ec9704d891409eb1a00c"`);
    await queryRunner.query(`DROP TABLE "password_policies"`);
    await queryRunner.query(`DROP INDEX "public"."uq_role_grants_pending"`);
    await queryRunner.query(`DROP INDEX "public"."ix_role_grants_county_status"`);
    await queryRunner.query(`DROP TABLE "role_grants"`);
    await queryRunner.query(`UPDATE "users" SET roles = array_remove(roles, 'security_admin') WHERE 'security_admin' = ANY(roles)`);
    await queryRunner.query(`UPDATE "users" SET roles = ARRAY['auditor']::text[], active = false WHERE cardinality(roles) = 0`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "ck_users_roles"`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "ck_users_roles" CHECK (roles <@ ARRAY[${ROLES_BEFORE}]::text[] AND cardinality(roles) > 0)`);
  }
}
