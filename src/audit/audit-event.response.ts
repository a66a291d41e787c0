import { ApiProperty } from '@nestjs/swagger';

/** Who acted, as the auditor reads it. */
export class AuditActorResponse {
  id!: string;
  username!: string;
  displayName!: string;
}

export class AuditEventResponse {
  id!: string;
  /** Null for actions without a signed-in user. */
  actorId!: string | null;
  /** The acting user's name; null when there is none. */
  actor!: AuditActorResponse | null;
  /** e.g. `item.view_full_id`, `ledger.export_full_id`, `user.create`. */
  action!: string;
  subjectType!: string;
  subjectId!: string | null;
  /** What the action concerned; its fields depend on `action`. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;
  requestId!: string | null;
  /** The acting user's org unit; null without a signed-in user. */
  orgUnitId!: string | null;
  @ApiProperty({ enum: ['success', 'failure'] })
  result!: 'success' | 'failure';
  /** The client's address. */
  sourceIp!: string | null;
  createdAt!: string;
}
