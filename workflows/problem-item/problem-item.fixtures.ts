import type { PhaseKind, WorkflowActor, WorkflowEnv } from '../common';
import type { ProblemItemEventOf, ProblemItemEventType, ProblemItemInput } from './problem-item.types';

/**
 * A small county for machine specs (and engine specs that want the same cast):
 * one township with a village, a second township, an education bureau.
 */
export const COUNTY = 'county-huoqiu';
export const OTHER_COUNTY = 'county-shenqiu';
export const TOWNSHIP = 'township-chengguan';
export const OTHER_TOWNSHIP = 'township-hedian';
export const VILLAGE = 'village-dongguan';
export const DEPARTMENT = 'dept-education';
export const OTHER_DEPARTMENT = 'dept-health';

export const NOW = '2021-06-16T02:00:00.000Z';

export function env(phase: PhaseKind | null = 'rectification', now: string = NOW): WorkflowEnv {
  return { now, phase };
}

export function actor(userId: string, overrides: Partial<WorkflowActor> = {}): WorkflowActor {
  return {
    userId,
    displayName: userId,
    roles: ['investigator'],
    orgUnitId: VILLAGE,
    countyId: COUNTY,
    townshipId: TOWNSHIP,
    departmentId: null,
    inspectionTownshipIds: [],
    ...overrides,
  };
}

export const cast = {
  investigator: actor('u-investigator'),
  rectifier: actor('u-rectifier'),
  stranger: actor('u-stranger'),
  leader: actor('u-leader', { roles: ['township_leader'], orgUnitId: TOWNSHIP }),
  leader2: actor('u-leader2', { roles: ['township_leader', 'investigator'], orgUnitId: TOWNSHIP }),
  otherLeader: actor('u-leader-other', {
    roles: ['township_leader'],
    orgUnitId: OTHER_TOWNSHIP,
    townshipId: OTHER_TOWNSHIP,
  }),
  county: actor('u-county', { roles: ['county_office'], orgUnitId: 'county-office', townshipId: null }),
  county2: actor('u-county2', { roles: ['county_office'], orgUnitId: 'county-office', townshipId: null }),
  otherCounty: actor('u-county-other', {
    roles: ['county_office'],
    orgUnitId: 'county-office-shenqiu',
    countyId: OTHER_COUNTY,
    townshipId: null,
  }),
  deptStaff: actor('u-dept', {
    roles: ['department_staff'],
    orgUnitId: DEPARTMENT,
    townshipId: null,
    departmentId: DEPARTMENT,
  }),
  otherDeptStaff: actor('u-dept-other', {
    roles: ['department_staff'],
    orgUnitId: OTHER_DEPARTMENT,
    townshipId: null,
    departmentId: OTHER_DEPARTMENT,
  }),
  inspector: actor('u-inspector', {
    roles: ['inspector'],
    orgUnitId: 'inspection-group-1',
    townshipId: null,
    inspectionTownshipIds: [TOWNSHIP],
  }),
  inspector2: actor('u-inspector2', {
    roles: ['inspector'],
    orgUnitId: 'inspection-group-1',
    townshipId: null,
    inspectionTownshipIds: [TOWNSHIP, OTHER_TOWNSHIP],
  }),
  otherInspector: actor('u-inspector-other', {
    roles: ['inspector'],
    orgUnitId: 'inspection-group-2',
    townshipId: null,
    inspectionTownshipIds: [OTHER_TOWNSHIP],
  }),
  admin: actor('u-admin', { roles: ['admin'], orgUnitId: 'county-office', townshipId: null }),
  auditor: actor('u-auditor', { roles: ['auditor'], orgUnitId: 'county-office', townshipId: null }),
} satisfies Record<string, WorkflowActor>;

/** A village item reviewed by the township. */
export const VILLAGE_ITEM: ProblemItemInput = {
  id: 'item-1',
  campaignId: 'campaign-1',
  countyId: COUNTY,
  orgUnitId: VILLAGE,
  townshipId: TOWNSHIP,
  reviewLevel: 'township',
  investigatorId: cast.investigator.userId,
};

/** A sector item found by the education bureau, reviewed by the county office. */
export const DEPARTMENT_ITEM: ProblemItemInput = {
  id: 'item-2',
  campaignId: 'campaign-1',
  countyId: COUNTY,
  orgUnitId: DEPARTMENT,
  townshipId: null,
  reviewLevel: 'county',
  investigatorId: cast.deptStaff.userId,
};

type Payload<T extends ProblemItemEventType> = Omit<ProblemItemEventOf<T>, 'type' | 'actor' | 'env'>;

/** An event of `type` sent by `who` in `environment` (the rectification phase at NOW by default). */
export function ev<T extends ProblemItemEventType>(
  type: T,
  who: WorkflowActor,
  payload: Payload<T> = {} as Payload<T>,
  environment: WorkflowEnv = env(),
): ProblemItemEventOf<T> {
  return { type, actor: who, env: environment, ...payload } as ProblemItemEventOf<T>;
}

export const IN_A_WEEK = '2021-06-23T10:00:00.000Z';
export const IN_TWO_WEEKS = '2021-06-30T10:00:00.000Z';
export const YESTERDAY = '2021-06-15T02:00:00.000Z';
