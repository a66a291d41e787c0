import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CAMPAIGN_PHASED_STATES, chineseDay, currentPhase, OVERDUE_STATE } from '../../workflows';
import { AuditService } from '../audit/audit.service';
import { Campaign } from '../campaigns/campaign.entity';
import { campaignSnapshot } from '../campaigns/campaign-snapshot';
import { addDays, Clock, DAY_MS } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { itemTitle } from '../items/item-lifecycle';
import { type Audience, NotificationsService, type NoticeGroup } from '../notifications/notifications.service';

/** Days before a deadline the rectifier is reminded (整改时限将至). */
export const DEADLINE_SOON_DAYS = 3;
/**
 * How far back a missed run catches up: a deadline that passed while no
 * instance ran is still announced within this many days, never older ones
 * (督办通知书 are for those).
 */
export const CATCH_UP_DAYS = 3;

/** The advisory lock key of the run (any fixed bigint; this one spells "qlremind"). */
const REMINDERS_LOCK = '7165487265600000';

export interface ReminderRun {
  /** False when another instance held the run: this one did nothing. */
  ran: boolean;
  deadlineSoon: number;
  deadlinePassed: number;
  phaseEnded: number;
  /** Delegations (委派) whose last day has passed, recorded as ended (audit `delegation.expire`). */
  delegationsExpired: number;
}

interface DueItem {
  id: string;
  county_id: string;
  number: number;
  description: string;
  deadline: string;
  rectifier_id: string | null;
  responsible_org_unit_id: string | null;
}

/**
 * The daily reminders: rectifiers DEADLINE_SOON_DAYS before their deadline
 * and on the day it has passed, the county office of a campaign phase past
 * its planned end; and the audit record of each delegation that ran its course. Each reminder goes out once per item and deadline (an
 * extension gives a new deadline, and a new pair of reminders) or per phase
 * and end date: a row in reminder_marks, whose key is the primary key, is
 * claimed in the same transaction as the notifications. The run takes a
 * transaction-scoped advisory lock (pg_try_advisory_xact_lock): however many
 * instances run it at once, one does the work and the others return at once;
 * nothing of it lives in a process. Every instance schedules it every
 * REMINDERS_INTERVAL_MINUTES; most runs find nothing new.
 */
@Injectable()
export class RemindersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RemindersService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.REMINDERS_INTERVAL_MINUTES;
    if (minutes <= 0) return;
    this.timer = setInterval(() => {
      this.run().catch((e: unknown) => this.logger.error(`reminders run failed: ${String(e)}`));
    }, minutes * 60_000);
    // The schedule never keeps the process alive on its own.
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One run, as the schedule makes it (and tests call it). */
  run(): Promise<ReminderRun> {
    return this.dataSource.transaction(async (tx) => {
      const [{ locked }] = (await tx.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [REMINDERS_LOCK])) as Array<{ locked: boolean }>;
      if (!locked) return { ran: false, deadlineSoon: 0, deadlinePassed: 0, phaseEnded: 0, delegationsExpired: 0 };
      const today = this.clock.today();
      const soon = await this.deadlineReminders(tx, 'deadlineSoon', today, addDays(today, DEADLINE_SOON_DAYS), today);
      const passed = await this.deadlineReminders(tx, 'deadlinePassed', addDays(today, -CATCH_UP_DAYS), addDays(today, -1), today);
      const phases = await this.phaseReminders(tx, today);
      const expired = await this.expiredDelegations(tx, today);
      return { ran: true, deadlineSoon: soon, deadlinePassed: passed, phaseEnded: phases, delegationsExpired: expired };
    });
  }

  /** Rectifying items whose deadline lies in [from, to], not yet reminded of this deadline in this way. */
  private async deadlineReminders(tx: EntityManager, kind: 'deadlineSoon' | 'deadlinePassed', from: string, to: string, today: string): Promise<number> {
    const due = (await tx.query(
      `WITH due AS (
         SELECT i.id, i.county_id, i.number, i.description, i.deadline::text AS deadline, i.rectifier_id, i.responsible_org_unit_id,
                $1 || ':' || i.id || ':' || i.deadline::text AS key
           FROM problem_items i JOIN campaigns c ON c.id = i.campaign_id
          WHERE i.state = $2 AND i.deadline BETWEEN $3::date AND $4::date AND c.state = ANY($5::text[])
       ), marked AS (
         INSERT INTO reminder_marks (key, county_id, sent_at) SELECT key, county_id, $6 FROM due ON CONFLICT DO NOTHING RETURNING key
       )
       SELECT due.* FROM due JOIN marked USING (key) ORDER BY due.county_id, due.deadline, due.number`,
      [kind, OVERDUE_STATE, from, to, CAMPAIGN_PHASED_STATES, this.clock.now()],
    )) as DueItem[];
    const groups: NoticeGroup[] = due.map((i) => {
      const audience: Audience = i.rectifier_id
        ? { kind: 'users', userIds: [i.rectifier_id] }
        : // Escalated with nobody named: whoever of the responsible unit may take it up.
          { kind: 'unitRoles', orgUnitId: i.responsible_org_unit_id!, roles: ['department_staff', 'county_office'] };
      const left = Math.round((Date.parse(i.deadline) - Date.parse(today)) / DAY_MS);
      const message =
        kind === 'deadlineSoon'
          ? `${itemTitle(i)}整改时限 ${chineseDay(i.deadline)}${left === 0 ? '（今天到期）' : `，还剩 ${left} 天`}，待您整改；确需延期请及时申请`
          : `${itemTitle(i)}已超过整改时限（${chineseDay(i.deadline)}），已超期，待您尽快整改或申请延期`;
      return [{ countyId: i.county_id, itemId: i.id, kind, message, audiences: [audience] }];
    });
    await this.notifications.insertAllWithin(tx, groups);
    return due.length;
  }

  /**
   * Delegations that ran to their last day without being ended early: their
   * end is audited once (the start and an early end are audited when they
   * happen), so the audit log shows every delegation's whole span.
   */
  private async expiredDelegations(tx: EntityManager, today: string): Promise<number> {
    const rows = (await tx.query(
      `WITH over AS (
         SELECT d.id, d.county_id, d.delegator_id, d.delegate_id, d.ends_on::text AS ends_on FROM delegations d
          WHERE d.ended_at IS NULL AND d.ends_on < $1::date
       ), marked AS (
         INSERT INTO reminder_marks (key, county_id, sent_at) SELECT 'delegationExpired:' || id, county_id, $2 FROM over ON CONFLICT DO NOTHING RETURNING key
       )
       SELECT over.* FROM over JOIN marked ON marked.key = 'delegationExpired:' || over.id`,
      [today, this.clock.now()],
    )) as Array<{ id: string; county_id: string; delegator_id: string; delegate_id: string; ends_on: string }>;
    for (const d of rows) {
      await this.audit.recordWithoutActor(
        d.county_id,
        'delegation.expire',
        'delegation',
        d.id,
        { delegatorId: d.delegator_id, delegateId: d.delegate_id, endsOn: d.ends_on, key: expiryKey(d.id) },
        tx,
      );
    }
    return rows.length;
  }

  /** Running campaigns whose current phase's planned end has passed: the county office is to advance it (or knows it runs late). */
  private async phaseReminders(tx: EntityManager, today: string): Promise<number> {
    const running = await tx.getRepository(Campaign).find({ where: CAMPAIGN_PHASED_STATES.map((state) => ({ state })) });
    const late = running.flatMap((c) => {
      const phase = currentPhase(campaignSnapshot(c));
      return phase?.endDate && phase.endDate.slice(0, 10) < today ? [{ c, phase, end: phase.endDate.slice(0, 10) }] : [];
    });
    if (late.length === 0) return 0;
    const marked = (await tx.query(
      `INSERT INTO reminder_marks (key, county_id, sent_at) SELECT m.key, m.county_id, $3::timestamptz FROM unnest($1::text[], $2::uuid[]) AS m(key, county_id)
       ON CONFLICT DO NOTHING RETURNING key`,
      [late.map((l) => phaseKey(l.c.id, l.c.phaseIndex, l.end)), late.map((l) => l.c.countyId), this.clock.now()],
    )) as Array<{ key: string }>;
    const fresh = new Set(marked.map((m) => m.key));
    const groups: NoticeGroup[] = late
      .filter((l) => fresh.has(phaseKey(l.c.id, l.c.phaseIndex, l.end)))
      .map((l) => [
        {
          countyId: l.c.countyId,
          itemId: null,
          kind: 'phaseEnded',
          message: `专项行动「${l.c.title}」的「${l.phase.name}」阶段计划于 ${chineseDay(l.end)}结束，已过期，待您推进阶段或调整计划`,
          audiences: [{ kind: 'countyRoles', roles: ['county_office'] }],
        },
      ]);
    await this.notifications.insertAllWithin(tx, groups);
    return groups.length;
  }
}

/** The reminder mark of a delegation that ran its course. */
function expiryKey(delegationId: string): string {
  return `delegationExpired:${delegationId}`;
}

function phaseKey(campaignId: string, phaseIndex: number, end: string): string {
  return `phaseEnded:${campaignId}:${phaseIndex}:${end}`;
}
