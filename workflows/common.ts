import type { AnyMachineSnapshot, AnyStateMachine, EventFromLogic, ExecutableActionsFrom, SnapshotFrom } from 'xstate';
import { transition } from 'xstate';

/** Granted roles. `rectifier` is not a role: it is a relation to an item. */
export type Role = 'investigator' | 'township_leader' | 'county_office' | 'department_staff' | 'inspector' | 'admin' | 'security_admin' | 'auditor';

export type PhaseKind = 'mobilization' | 'investigation' | 'rectification' | 'improvement' | 'summary';

export const PHASE_KINDS: readonly PhaseKind[] = ['mobilization', 'investigation', 'rectification', 'improvement', 'summary'];

/** Who sends an event, resolved by the engine from the user and their org unit. */
export interface WorkflowActor {
  userId: string;
  displayName: string;
  roles: Role[];
  orgUnitId: string;
  countyId: string;
  /** Township containing the actor's org unit, if any. */
  townshipId: string | null;
  /** Set when the actor's org unit is a county department. */
  departmentId: string | null;
  /** Townships covered by the actor's supervision group. */
  inspectionTownshipIds: string[];
  /**
   * 委派: the reviewers whose review and acceptance duties the actor holds
   * today (same org unit, so the same township), with the reviewer roles they
   * hand over. Absent or empty: the actor acts in their own right only.
   */
  delegators?: readonly Delegator[];
}

/** A reviewer who delegated their duties to the actor. */
export interface Delegator {
  userId: string;
  displayName: string;
  /** The reviewer roles handed over (township_leader, county_office). */
  roles: Role[];
}

/** The roles whose duties a delegation (委派) hands over: review and acceptance. */
export const DELEGABLE_ROLES: readonly Role[] = ['township_leader', 'county_office'];

/** Facts outside the item that the rules depend on; the machines never read a clock. */
export interface WorkflowEnv {
  /** ISO 8601 instant. */
  now: string;
  /** Current phase kind of the item's campaign; null when the campaign is draft or archived. */
  phase: PhaseKind | null;
}

/** Every event of every workflow carries who sends it and in which circumstances. */
export interface WorkflowEventBase {
  actor: WorkflowActor;
  env: WorkflowEnv;
}

/** Roles that may act on workflows; `admin`, `security_admin` and `auditor` grant no workflow permission. */
export const OPERATIONAL_ROLES: readonly Role[] = ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'];

export function hasRole(actor: WorkflowActor, role: Role): boolean {
  return actor.roles.includes(role);
}

/** An actor holding only `admin`, `security_admin` and/or `auditor` can never send an event. */
export function hasOperationalRole(actor: WorkflowActor): boolean {
  return actor.roles.some((role) => OPERATIONAL_ROLES.includes(role));
}

export function isNonEmptyText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_OR_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Whether the day exists in the (proleptic Gregorian) calendar. The format
 * alone lets 2030-02-31 through, and Date.parse quietly reads it as 3 March;
 * PostgreSQL refuses it.
 */
function isRealDay(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** A calendar date `YYYY-MM-DD` that exists (2021-02-29 and 2030-02-31 do not). */
export function isIsoDate(value: unknown): value is string {
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  return m !== null && isRealDay(m[1], m[2], m[3]);
}

/**
 * A date (`2021-06-25`, read as UTC midnight) or an instant with an explicit
 * offset, every part of it real: the day exists, hours < 24, minutes and
 * seconds < 60, the offset within ±14:00. Instants without an offset are
 * refused: their meaning would depend on the server's time zone.
 */
export function isIsoDateTime(value: unknown): value is string {
  const m = typeof value === 'string' ? ISO_DATE_OR_INSTANT.exec(value) : null;
  if (!m || !isRealDay(m[1], m[2], m[3])) return false;
  const [hour, minute, second, offsetHours, offsetMinutes] = [m[4], m[5], m[6], m[7], m[8]].map((p) => Number(p ?? 0));
  return hour < 24 && minute < 60 && second < 60 && offsetHours <= 14 && offsetMinutes < 60 && !Number.isNaN(Date.parse(value as string));
}

/** True when both are valid ISO values and `later` is strictly after `earlier`. */
export function isStrictlyAfter(later: unknown, earlier: unknown): boolean {
  return isIsoDateTime(later) && isIsoDateTime(earlier) && Date.parse(later) > Date.parse(earlier);
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 24 * 60 * 60 * 1000).toISOString();
}

export interface AppliedEvent<TMachine extends AnyStateMachine> {
  /** False when no transition of the current state accepts the event (guards included). */
  accepted: boolean;
  /** The next snapshot; the given snapshot itself when not accepted. */
  snapshot: SnapshotFrom<TMachine>;
  /** Effects for the engine to run (in the transaction that stores the snapshot); empty when not accepted. */
  actions: ExecutableActionsFrom<TMachine>[];
}

/**
 * Pure: decides whether `event` is accepted in `snapshot` and, if so, computes
 * the next snapshot and the effects to run. Never executes an action.
 */
export function applyEvent<TMachine extends AnyStateMachine>(
  machine: TMachine,
  snapshot: SnapshotFrom<TMachine>,
  event: EventFromLogic<TMachine>,
): AppliedEvent<TMachine> {
  const current = snapshot as AnyMachineSnapshot;
  if (current.status !== 'active' || !current.can(event)) {
    return { accepted: false, snapshot, actions: [] };
  }
  const [next, actions] = transition(machine, snapshot, event);
  return { accepted: true, snapshot: next, actions };
}
