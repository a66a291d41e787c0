import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What 等保 asks each audit record to hold besides time, user, action,
 * target and request id: the user's org unit, the result (success or
 * failure) and the source address — all covered by the row's seal, and
 * protected by the append-only trigger like the rest.
 */
export class AuditFields1763870000000 implements MigrationInterface {
  name = 'AuditFields1763870000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "org_unit_id" uuid`);
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "result" character varying(16) NOT NULL DEFAULT 'success'`);
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "source_ip" character varying(64)`);
    await queryRunner.query(appendOnly(true));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(appendOnly(false));
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "source_ip"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "result"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "org_unit_id"`);
  }
}

/** The append-only trigger's function, comparing the new columns too (`withFields`) or not. */
function appendOnly(withFields: boolean): string {
  const columns = [
    'id',
    'county_id',
    'actor_id',
    'action',
    'subject_type',
    'subject_id',
    'details',
    'request_id',
    'created_at',
    ...(withFields ? ['org_unit_id', 'result', 'source_ip'] : []),
  ];
  return `CREATE OR REPLACE FUNCTION qingling_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('qingling.audit_purge', true) = 'on' AND OLD.created_at < now() - interval '6 months' THEN
          RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.seal IS NULL AND NEW.seal IS NOT NULL
           AND (${columns.map((c) => `NEW.${c}`).join(', ')}) IS NOT DISTINCT FROM (${columns.map((c) => `OLD.${c}`).join(', ')}) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
    $$`;
}
