import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workflow core: campaigns, problem items (snapshot + query projections),
 * hash-chained signatures that the database refuses to change, evidence
 * attachments, idempotency records and notifications.
 */
export class WorkflowCore1763750000000 implements MigrationInterface {
  name = 'WorkflowCore1763750000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "uploader_id" uuid NOT NULL, "filename" character varying(255) NOT NULL, "mime_type" character varying(100) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "storage_key" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "doc_number" character varying(100) NOT NULL, "preset_key" character varying(32), "phases" jsonb NOT NULL, "problem_types" jsonb NOT NULL, "workflow_id" character varying(64) NOT NULL, "workflow_version" integer NOT NULL, "state" character varying(32) NOT NULL, "phase_index" integer NOT NULL, "snapshot" jsonb NOT NULL, "version" integer NOT NULL DEFAULT '1', "item_seq" integer NOT NULL DEFAULT '0', "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_campaigns_county" ON "campaigns"  ("county_id") `);
    await queryRunner.query(
      `CREATE TABLE "idempotency_records" ("user_id" uuid NOT NULL, "key" character varying(128) NOT NULL, "county_id" uuid NOT NULL, "fingerprint" character(64) NOT NULL, "status_code" integer NOT NULL, "body" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_361095756bf434c1971a5a89be4" PRIMARY KEY ("user_id", "key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "problem_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "number" integer NOT NULL, "org_unit_id" uuid NOT NULL, "org_unit_path" text NOT NULL, "township_id" uuid, "problem_type_code" character varying(32) NOT NULL, "description" text NOT NULL, "household_name" character varying(64), "household_id_number" character varying(18), "remark" text, "investigator_id" uuid NOT NULL, "workflow_id" character varying(64) NOT NULL, "workflow_version" integer NOT NULL, "snapshot" jsonb NOT NULL, "version" integer NOT NULL DEFAULT '1', "state" character varying(32) NOT NULL, "review_level" character varying(16) NOT NULL, "measures" text, "rectifier_id" uuid, "responsible_org_unit_id" uuid, "deadline" date, "fixed_on_site" boolean NOT NULL DEFAULT false, "extension_requested" boolean NOT NULL DEFAULT false, "reopen_count" integer NOT NULL DEFAULT '0', "inspected" boolean NOT NULL DEFAULT false, "long_term" boolean NOT NULL DEFAULT false, "long_term_plan" text, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ac79a012e50cd0a415bf12b0193" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_problem_items_county" ON "problem_items"  ("county_id") `);
    await queryRunner.query(`CREATE INDEX "ix_problem_items_org_path" ON "problem_items"  ("org_unit_path") `);
    await queryRunner.query(`CREATE INDEX "ix_problem_items_rectifier" ON "problem_items"  ("rectifier_id") `);
    await queryRunner.query(`CREATE INDEX "ix_problem_items_campaign_state" ON "problem_items"  ("campaign_id", "state") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_problem_items_campaign_number" ON "problem_items"  ("campaign_id", "number") `);
    await queryRunner.query(
      `CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "user_id" uuid NOT NULL, "item_id" uuid, "kind" character varying(64) NOT NULL, "message" text NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_notifications_user" ON "notifications"  ("user_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "signatures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "subject_type" character varying(16) NOT NULL, "subject_id" uuid NOT NULL, "seq" integer NOT NULL, "kind" character varying(32) NOT NULL, "event_type" character varying(32) NOT NULL, "signer_id" uuid NOT NULL, "signer_name" character varying(64) NOT NULL, "signer_role" character varying(32) NOT NULL, "signer_org_unit_id" uuid NOT NULL, "signer_org_unit_name" character varying(100) NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "comment" text, "payload" jsonb NOT NULL, "evidence" jsonb NOT NULL, "state_before" character varying(32) NOT NULL, "state_after" character varying(32) NOT NULL, "prev_hash" character(64), "hash" character(64) NOT NULL, CONSTRAINT "PK_f56eb3cd344ce7f9ae28ce814eb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_signatures_signer" ON "signatures"  ("signer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_signatures_subject_seq" ON "signatures"  ("subject_id", "seq") `);
    await queryRunner.query(
      `ALTER TABLE "attachments" ADD CONSTRAINT "FK_89b6657015c2b93c02989b9d464" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_8e84b2b658f0654980cb54de4a8" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_items" ADD CONSTRAINT "FK_1a7be4299ff1651fd91df3433e3" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_items" ADD CONSTRAINT "FK_0d31710836da2c27f01d5388995" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_items" ADD CONSTRAINT "FK_8ad1c906b52ae1bce1e49b7470e" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_items" ADD CONSTRAINT "FK_2abd88a483ac5e691b2c19b889c" FOREIGN KEY ("township_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_items" ADD CONSTRAINT "FK_4206027ac30a4b277842a73d6c4" FOREIGN KEY ("investigator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_items" ADD CONSTRAINT "FK_d57b832263805e1ff5cc32bc703" FOREIGN KEY ("rectifier_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_items" ADD CONSTRAINT "FK_b30801c6879f2134b16580e4717" FOREIGN KEY ("responsible_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "signatures" ADD CONSTRAINT "FK_ebfd9d4c8417208128f7fc01898" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Signatures are evidence: the database itself refuses to change or delete them.
    await queryRunner.query(`CREATE FUNCTION qingling_refuse_signature_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'signatures are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
    await queryRunner.query(
      `CREATE TRIGGER signatures_immutable BEFORE UPDATE OR DELETE ON "signatures" FOR EACH ROW EXECUTE FUNCTION qingling_refuse_signature_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER signatures_no_truncate BEFORE TRUNCATE ON "signatures" FOR EACH STATEMENT EXECUTE FUNCTION qingling_refuse_signature_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER signatures_no_truncate ON "signatures"`);
    await queryRunner.query(`DROP TRIGGER signatures_immutable ON "signatures"`);
    await queryRunner.query(`DROP FUNCTION qingling_refuse_signature_change()`);
    await queryRunner.query(`ALTER TABLE "signatures" DROP CONSTRAINT "FK_ebfd9d4c8417208128f7fc01898"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP CONSTRAINT "FK_b30801c6879f2134b16580e4717"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP CONSTRAINT "FK_d57b832263805e1ff5cc32bc703"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP CONSTRAINT "FK_4206027ac30a4b277842a73d6c4"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP CONSTRAINT "FK_2abd88a483ac5e691b2c19b889c"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP CONSTRAINT "FK_8ad1c906b52ae1bce1e49b7470e"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP CONSTRAINT "FK_0d31710836da2c27f01d5388995"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP CONSTRAINT "FK_1a7be4299ff1651fd91df3433e3"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_8e84b2b658f0654980cb54de4a8"`);
    await queryRunner.query(`ALTER TABLE "attachments" DROP CONSTRAINT "FK_89b6657015c2b93c02989b9d464"`);
    await queryRunner.query(`DROP INDEX "public"."uq_signatures_subject_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_signatures_signer"`);
    await queryRunner.query(`DROP TABLE "signatures"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notifications_user"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP INDEX "public"."uq_problem_items_campaign_number"`);
    await queryRunner.query(`DROP INDEX "public"."ix_problem_items_campaign_state"`);
    await queryRunner.query(`DROP INDEX "public"."ix_problem_items_rectifier"`);
    await queryRunner.query(`DROP INDEX "public"."ix_problem_items_org_path"`);
    await queryRunner.query(`DROP INDEX "public"."ix_problem_items_county"`);
    await queryRunner.query(`DROP TABLE "problem_items"`);
    await queryRunner.query(`DROP TABLE "idempotency_records"`);
    await queryRunner.query(`DROP INDEX "public"."ix_campaigns_county"`);
    await queryRunner.query(`DROP TABLE "campaigns"`);
    await queryRunner.query(`DROP TABLE "attachments"`);
  }
}
