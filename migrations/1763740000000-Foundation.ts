import { MigrationInterface, QueryRunner } from 'typeorm';

/** Org units (county as tenant), supervision coverage, users, refresh tokens, audit log. */
export class Foundation1763740000000 implements MigrationInterface {
  name = 'Foundation1763740000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "org_units" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "parent_id" uuid, "kind" character varying(32) NOT NULL, "code" character varying(12), "name" character varying(100) NOT NULL, "path" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_org_units_code" CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'), CONSTRAINT "ck_org_units_kind" CHECK (kind IN ('county', 'township', 'village', 'department', 'supervision_group')), CONSTRAINT "PK_b4a19b7f3756560cd75643be5a7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_org_units_county" ON "org_units"  ("county_id") `);
    await queryRunner.query(`CREATE INDEX "ix_org_units_path" ON "org_units"  ("path") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_org_units_county_code" ON "org_units"  ("county_id", "code") WHERE code IS NOT NULL`);
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "actor_id" uuid, "action" character varying(64) NOT NULL, "subject_type" character varying(32) NOT NULL, "subject_id" uuid, "details" jsonb NOT NULL DEFAULT '{}', "request_id" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_events_county_time" ON "audit_events"  ("county_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "username" character varying(64) NOT NULL, "display_name" character varying(64) NOT NULL, "phone" character varying(20), "org_unit_id" uuid NOT NULL, "roles" text array NOT NULL, "password_hash" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_users_roles" CHECK (roles <@ ARRAY['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector', 'admin', 'auditor']::text[] AND cardinality(roles) > 0), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_users_county" ON "users"  ("county_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users"  ("username") `);
    await queryRunner.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_refresh_tokens_user" ON "refresh_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens"  ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "supervision_coverage" ("group_id" uuid NOT NULL, "township_id" uuid NOT NULL, "county_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dfed334e73e5e7fe0888151642e" PRIMARY KEY ("group_id", "township_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_units" ADD CONSTRAINT "FK_8be8ae8ff38f90464a47f2e7c10" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_units" ADD CONSTRAINT "FK_93e336d1c079edb2cecd9c8f599" FOREIGN KEY ("parent_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_events" ADD CONSTRAINT "FK_3a41f6ffe600b52fd2e34a2ade1" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_9102db9ad39b3be155c47b0cc9a" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_758b37f4f8ca8be4ddaefa51c9e" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_eba1b96c1cf721effdbc9741f2c" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervision_coverage" ADD CONSTRAINT "FK_9d048de9e84d254ef4b0c28ab4f" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervision_coverage" ADD CONSTRAINT "FK_91f428ccfd40cbe1179696b6a3f" FOREIGN KEY ("group_id") REFERENCES "org_units"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervision_coverage" ADD CONSTRAINT "FK_d21ee6983760604f3a97d030326" FOREIGN KEY ("township_id") REFERENCES "org_units"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "supervision_coverage" DROP CONSTRAINT "FK_d21ee6983760604f3a97d030326"`);
    await queryRunner.query(`ALTER TABLE "supervision_coverage" DROP CONSTRAINT "FK_91f428ccfd40cbe1179696b6a3f"`);
    await queryRunner.query(`ALTER TABLE "supervision_coverage" DROP CONSTRAINT "FK_9d048de9e84d254ef4b0c28ab4f"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_eba1b96c1cf721effdbc9741f2c"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_758b37f4f8ca8be4ddaefa51c9e"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_9102db9ad39b3be155c47b0cc9a"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP CONSTRAINT "FK_3a41f6ffe600b52fd2e34a2ade1"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "FK_93e336d1c079edb2cecd9c8f599"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "FK_8be8ae8ff38f90464a47f2e7c10"`);
    await queryRunner.query(`DROP TABLE "supervision_coverage"`);
    await queryRunner.query(`DROP INDEX "public"."uq_refresh_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_refresh_tokens_user"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."uq_users_username"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_county"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_events_county_time"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP INDEX "public"."uq_org_units_county_code"`);
    await queryRunner.query(`DROP INDEX "public"."ix_org_units_path"`);
    await queryRunner.query(`DROP INDEX "public"."ix_org_units_county"`);
    await queryRunner.query(`DROP TABLE "org_units"`);
  }
}
