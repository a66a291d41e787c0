import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log made tamper-evident: each row sealed with the chain key
 * (`key_id`, `seal`; rows written before this are sealed once at start-up,
 * and only those: `audit_sealing.started_at` records when sealing began);
 * the database refuses UPDATE, DELETE and TRUNCATE, except sealing an
 * unsealed row (nothing else changed) and the purge of rows older than six
 * months inside a transaction that says so (`SET LOCAL qingling.audit_purge`);
 * the daily anchors fold in each day's audit rows.
 */
export class AuditSeal1763860000000 implements MigrationInterface {
  name = 'AuditSeal1763860000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "key_id" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "seal" character(64)`);
    await queryRunner.query(`CREATE TABLE "audit_sealing" ("started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())`);
    await queryRunner.query(`INSERT INTO "audit_sealing" DEFAULT VALUES`);
    await queryRunner.query(
      `CREATE TRIGGER audit_sealing_immutable BEFORE UPDATE OR DELETE ON "audit_sealing" FOR EACH ROW EXECUTE FUNCTION qingling_refuse_signature_change()`,
    );
    await queryRunner.query(`CREATE FUNCTION qingling_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('qingling.audit_purge', true) = 'on' AND OLD.created_at < now() - interval '6 months' THEN
          RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.seal IS NULL AND NEW.seal IS NOT NULL
           AND (NEW.id, NEW.county_id, NEW.actor_id, NEW.action, NEW.subject_type, NEW.subject_id, NEW.details, NEW.request_id, NEW.created_at)
               IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.actor_id, OLD.action, OLD.subject_type, OLD.subject_id, OLD.details, OLD.request_id, OLD.created_at) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION qingling_audit_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION qingling_refuse_signature_change()`,
    );
    await queryRunner.query(`ALTER TABLE "chain_anchors" ADD "audit_events" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "chain_anchors" ADD "audit_digest" character(64)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "chain_anchors" DROP COLUMN "audit_digest"`);
    await queryRunner.query(`ALTER TABLE "chain_anchors" DROP COLUMN "audit_events"`);
    await queryRunner.query(`DROP TRIGGER audit_events_no_truncate ON "audit_events"`);
    await queryRunner.query(`DROP TRIGGER audit_events_append_only ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION qingling_audit_append_only()`);
    await queryRunner.query(`DROP TABLE "audit_sealing"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "seal"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "key_id"`);
  }
}
