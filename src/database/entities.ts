import { Attachment } from '../attachments/attachment.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity';
import { ProblemItem } from '../items/problem-item.entity';
import { Notification } from '../notifications/notification.entity';
import { SummaryReport } from '../reports/summary-report.entity';
import { ReportTally } from '../reports/report-tally.entity';
import { SupervisionNotice } from '../reports/supervision-notice.entity';
import { ChainSeal } from '../signatures/chain-seal.entity';
import { Signature } from '../signatures/signature.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { Session } from '../auth/session.entity';
import { TotpRecoveryCode } from '../auth/totp/recovery-code.entity';
import { UserTotp } from '../auth/totp/user-totp.entity';
import { OrgUnit } from '../orgs/org-unit.entity';
import { SupervisionCoverage } from '../orgs/supervision-coverage.entity';
import { PasswordHistory } from '../users/password-history.entity';
import { RoleGrant } from '../users/role-grant.entity';
import { PasswordPolicySetting } from '../auth/password-policy-setting.entity';
import { User } from '../users/user.entity';
import { SpotCheckDraw, SpotCheckDrawItem } from '../inspection/spot-check-draw.entity';
import { Delegation } from '../delegations/delegation.entity';
import { ReminderMark } from '../reminders/reminder-mark.entity';

/** Every entity, listed explicitly (no globs: the same list works under ts-jest and compiled JS). */
export const ENTITIES = [
  OrgUnit,
  SupervisionCoverage,
  User,
  PasswordHistory,
  RoleGrant,
  PasswordPolicySetting,
  Session,
  RefreshToken,
  UserTotp,
  TotpRecoveryCode,
  AuditEvent,
  Campaign,
  ProblemItem,
  Signature,
  ChainSeal,
  Attachment,
  IdempotencyRecord,
  Notification,
  SupervisionNotice,
  SummaryReport,
  ReportTally,
  SpotCheckDraw,
  SpotCheckDrawItem,
  Delegation,
  ReminderMark,
];
