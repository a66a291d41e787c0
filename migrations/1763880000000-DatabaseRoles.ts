import { MigrationInterface, QueryRunner } from 'typeorm';

/** The group role the service's login role belongs to (`npm run db:roles` makes both). */
export const SERVICE_ROLE = 'qingling_service';

/**
 * Tables whose rows are evidence: the service may read and append, never
 * change or remove (the triggers stay as a second line of defence).
 */
export const APPEND_ONLY_TABLES = ['signatures', 'chain_seals', 'chain_anchors', 'audit_events', 'audit_sealing'] as const;

/**
 * Least privilege (等保 安全计算环境): migrations run as the owner of the
 * schema; the service logs in as a role of the group `qingling_service`,
 * which may read and write the working tables but only SELECT and INSERT the
 * evidence tables, owns nothing and is no superuser, so it can neither drop a
 * trigger nor `SET session_replication_role`. The two changes the service
 * must still make to the audit log — sealing rows written before sealing
 * existed, and the retention purge — go through SECURITY DEFINER functions
 * that can do exactly that and nothing else. Tables created by later
 * migrations get the working privileges by default; a later append-only
 * table must revoke them as this one does.
 *
 * The group role is created here when the migrating role may create roles
 * (a superuser, as in tests and the embedded database); otherwise
 * `npm run db:roles` must have made it first.
 */
export class DatabaseRoles1763880000000 implements MigrationInterface {
  name = 'DatabaseRoles1763880000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SERVICE_ROLE}') THEN
        CREATE ROLE ${SERVICE_ROLE} NOLOGIN;
      END IF;
    END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${SERVICE_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${SERVICE_ROLE}`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${SERVICE_ROLE}`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${SERVICE_ROLE}`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${SERVICE_ROLE}`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY_TABLES.map((t) => `"${t}"`).join(', ')} FROM ${SERVICE_ROLE}`);
    // The migration history is the owner's: the service only checks it at start-up.
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "migrations" FROM ${SERVICE_ROLE}`);

    await queryRunner.query(`CREATE FUNCTION qingling_seal_audit_event(p_id uuid, p_key_id varchar, p_seal char(64)) RETURNS boolean
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        UPDATE audit_events SET key_id = p_key_id, seal = p_seal
         WHERE id = p_id AND seal IS NULL AND created_at < (SELECT started_at FROM audit_sealing LIMIT 1);
        RETURN FOUND;
      END
    $$`);
    await queryRunner.query(`CREATE FUNCTION qingling_purge_audit_events(p_months integer) RETURNS TABLE (county_id uuid, deleted integer, before timestamptz)
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE cutoff timestamptz := now() - make_interval(months => greatest(p_months, 6));
      BEGIN
        PERFORM set_config('qingling.audit_purge', 'on', true);
        RETURN QUERY WITH gone AS (DELETE FROM audit_events e WHERE e.created_at < cutoff RETURNING e.county_id)
          SELECT g.county_id, count(*)::int, cutoff FROM gone g GROUP BY g.county_id;
        PERFORM set_config('qingling.audit_purge', 'off', true);
      END
    $$`);
    for (const fn of ['qingling_seal_audit_event(uuid, varchar, char)', 'qingling_purge_audit_events(integer)']) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${SERVICE_ROLE}`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION qingling_purge_audit_events(integer)`);
    await queryRunner.query(`DROP FUNCTION qingling_seal_audit_event(uuid, varchar, char)`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM ${SERVICE_ROLE}`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ${SERVICE_ROLE}`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${SERVICE_ROLE}`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${SERVICE_ROLE}`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${SERVICE_ROLE}`);
  }
}
