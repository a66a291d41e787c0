import { ApiProperty } from '@nestjs/swagger';

export class AuditEventResponse {
  id!: string;
  /** Null for actions without a signed-in user. */
  actorId!: string | null;
  /** e.g. `item.view_full_id`, `ledger.export_full_id`, `user.create`. */
  action!: string;
  subjectType!: string;
  subjectId!: string | null;
  /** What the action concerned; its fields depend on `action`. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;
  requestId!: string | null;
  createdAt!: string;
}
