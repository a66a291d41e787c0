import { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_ONLY_TABLES, SERVICE_ROLE } from './1763880000000-DatabaseRoles';

/** Spot-check draws are evidence too: signed, then never changed (their triggers refuse it as well). */
const DRAW_TABLES = ['spot_check_draws', 'spot_check_draw_items'] as const;

/** Every table the service may only read and append: the least-privilege spec checks each against the grants. */
export const EVIDENCE_TABLES: readonly string[] = [...APPEND_ONLY_TABLES, ...DRAW_TABLES];

/** The service's role may read and append the draw tables, never change or empty them. */
export class DrawGrants1763950000000 implements MigrationInterface {
  name = 'DrawGrants1763950000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${DRAW_TABLES.map((t) => `"${t}"`).join(', ')} FROM ${SERVICE_ROLE}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT UPDATE, DELETE ON ${DRAW_TABLES.map((t) => `"${t}"`).join(', ')} TO ${SERVICE_ROLE}`);
  }
}
