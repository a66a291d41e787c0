import { randomUUID } from 'node:crypto';
import { createProblemItemSnapshot, PROBLEM_ITEM_WORKFLOW, type ProblemItemSnapshot } from '../../workflows';
import type { AuthUser } from '../auth/auth-user';
import type { Campaign } from '../campaigns/campaign.entity';
import type { OrgUnit } from '../orgs/org-unit.entity';
import { residentIdIndex } from '../common/crypto/resident-id-keys';
import { toStored } from '../workflow-engine/snapshots';
import { itemProjections } from './item-lifecycle';
import type { ProblemItem } from './problem-item.entity';

/** A recorder at a county department records as that department (行业排查). */
export function isSectorRecorder(user: Pick<AuthUser, 'orgUnitKind'>): boolean {
  return user.orgUnitKind === 'department';
}

/** What a new draft carries besides where it is; the ledger import adds the planned 整改责任人/时限 and the row fingerprint. */
export interface DraftFields {
  problemTypeCode: string;
  description: string;
  householdName?: string | null;
  householdIdNumber?: string | null;
  remark?: string | null;
  plannedRectifierName?: string | null;
  plannedDeadline?: string | null;
  importKey?: string | null;
}

/**
 * A new draft (草稿) of `investigator` at `unit`, numbered `number`, as the row
 * to insert and its machine snapshot: the one definition of a new item, used by
 * single creation and by the ledger import's batches alike. Pure: the caller has
 * checked scope and problem type and reserved the number.
 */
export function draftItem(
  investigator: AuthUser,
  campaign: Campaign,
  unit: OrgUnit,
  dto: DraftFields,
  number: number,
  now: Date,
): { item: ProblemItem; snapshot: ProblemItemSnapshot } {
  const id = randomUUID();
  const [, townshipId] = unit.path.split('/').filter(Boolean);
  const inTownship = unit.kind === 'village' || unit.kind === 'township';
  // 行业排查: a department's finding is the department's, reviewed by the county office wherever the household lives.
  const sectorDepartmentId = isSectorRecorder(investigator) ? investigator.orgUnitId : null;
  const snapshot = createProblemItemSnapshot({
    id,
    campaignId: campaign.id,
    countyId: investigator.countyId,
    orgUnitId: unit.id,
    townshipId: inTownship ? townshipId : null,
    reviewLevel: inTownship && !sectorDepartmentId ? 'township' : 'county',
    investigatorId: investigator.id,
  });
  const item: ProblemItem = {
    id,
    countyId: investigator.countyId,
    campaignId: campaign.id,
    number,
    orgUnitId: unit.id,
    orgUnitPath: unit.path,
    townshipId: inTownship ? townshipId : null,
    problemTypeCode: dto.problemTypeCode,
    description: dto.description,
    householdName: dto.householdName || null,
    householdIdNumber: dto.householdIdNumber || null,
    householdIdIndex: residentIdIndex(dto.householdIdNumber),
    remark: dto.remark ?? null,
    plannedRectifierName: dto.plannedRectifierName || null,
    plannedDeadline: dto.plannedDeadline || null,
    importKey: dto.importKey ?? null,
    investigatorId: investigator.id,
    sectorDepartmentId,
    workflowId: PROBLEM_ITEM_WORKFLOW.id,
    workflowVersion: PROBLEM_ITEM_WORKFLOW.version,
    snapshot: toStored(snapshot) as unknown as Record<string, unknown>,
    version: 1,
    chainSeq: 0,
    chainHead: null,
    longTermPlan: null,
    closedAt: null,
    reportStatus: null,
    createdAt: now,
    updatedAt: now,
    ...itemProjections(snapshot),
  };
  return { item, snapshot };
}
