import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../auth/roles';
import { UserRefResponse } from '../users/user.response';

/** 委派: who stands in for whom, for which days. */
export class DelegationResponse {
  id!: string;
  /** 委派人: the reviewer whose duties are handed over. */
  delegator!: UserRefResponse;
  /** 受托人: who does them, signing "代 委派人". */
  delegate!: UserRefResponse;
  orgUnitId!: string;
  orgUnitName!: string;
  startsOn!: string;
  endsOn!: string;
  reason!: string | null;
  createdAt!: string;
  /** Set when ended before `endsOn`. */
  endedAt!: string | null;
  /** `scheduled` (starts later), `active` (holds today), `ended` (ended early or past endsOn). */
  @ApiProperty({ enum: ['scheduled', 'active', 'ended'] })
  status!: 'scheduled' | 'active' | 'ended';
}

/** Someone the caller may delegate to. */
export class DelegateCandidateResponse {
  id!: string;
  name!: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
}
