import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CampaignsService } from '../campaigns/campaigns.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { applyItemVisibility } from '../items/item-conditions';
import { ProblemItem } from '../items/problem-item.entity';
import { OrgUnit } from '../orgs/org-unit.entity';
import { ScopeService } from '../orgs/scope.service';
import { chinaDay, endOfChinaDay } from '../reports/progress';
import { aftermath, type SignedEvent, type Step, stepOf } from './accountability';
import { AccountabilityQuery } from './dto/inspection.dto';
import {
  ACCOUNTABILITY_STEPS,
  AccountabilityPersonResponse,
  AccountabilityResponse,
  AccountabilityTownshipResponse,
  StepsResponse,
} from './inspection.response';

interface Tally {
  steps: Record<Step, { signed: Set<string>; reopened: Set<string>; overdue: Set<string> }>;
  items: Set<string>;
  reopened: Set<string>;
  overdue: Set<string>;
}

function tally(): Tally {
  const steps = {} as Tally['steps'];
  for (const s of ACCOUNTABILITY_STEPS) steps[s] = { signed: new Set(), reopened: new Set(), overdue: new Set() };
  return { steps, items: new Set(), reopened: new Set(), overdue: new Set() };
}

function stepsOf(t: Tally): StepsResponse {
  const out = {} as StepsResponse;
  for (const s of ACCOUNTABILITY_STEPS) out[s] = { signed: t.steps[s].signed.size, reopened: t.steps[s].reopened.size, overdue: t.steps[s].overdue.size };
  return out;
}

/**
 * 谁签字谁负责: who signed the campaign's items at each step in a period, and
 * how many of those items were later reopened by inspection or went overdue
 * — per person and per township, within the caller's scope. A reopen counts
 * against everyone who signed the item before it, the rectifier and the
 * acceptor above all.
 */
@Injectable()
export class AccountabilityService {
  constructor(
    @InjectRepository(ProblemItem) private readonly items: Repository<ProblemItem>,
    private readonly campaigns: CampaignsService,
    private readonly scope: ScopeService,
    private readonly clock: Clock,
  ) {}

  async report(user: AuthUser, campaignId: string, q: AccountabilityQuery): Promise<AccountabilityResponse> {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const today = this.clock.today();
    const to = q.to ?? today;
    const from = q.from ?? campaign.phases[0]?.startDate ?? chinaDay(campaign.createdAt);
    if (from > to) throw DomainError.validation('from', 'from 不能晚于 to');
    const start = new Date(Date.parse(`${from}T00:00:00+08:00`));
    const end = endOfChinaDay(to);
    const scope = await this.scope.scopeOf(user);
    const qb = this.items
      .createQueryBuilder('i')
      .select(['i.id', 'i.townshipId'])
      .where('i.campaign_id = :cid', { cid: campaign.id })
      .andWhere('i.township_id IS NOT NULL');
    applyItemVisibility(qb, user, scope);
    if (q.townshipId) qb.andWhere('i.township_id = :tw', { tw: q.townshipId });
    const items = await qb.getMany();
    const township = new Map(items.map((i) => [i.id, i.townshipId!]));
    const rows: Array<Record<string, unknown>> = items.length
      ? await this.items.manager.query(
          `SELECT s.subject_id, s.seq, s.kind, s.event_type, s.state_after, s.signed_at, s.signer_id, s.signer_name, s.signer_org_unit_id, s.signer_org_unit_name,
                  s.payload->>'deadline' AS deadline, s.payload->>'newDeadline' AS new_deadline
             FROM signatures s WHERE s.subject_type = 'item' AND s.subject_id = ANY($1::uuid[]) ORDER BY s.subject_id, s.seq`,
          [items.map((i) => i.id)],
        )
      : [];
    const chains = new Map<string, SignedEvent[]>();
    for (const r of rows) {
      const list = chains.get(r.subject_id as string) ?? [];
      list.push({
        itemId: r.subject_id as string,
        seq: r.seq as number,
        kind: r.kind as string,
        eventType: r.event_type as string,
        stateAfter: r.state_after as string,
        at: new Date(r.signed_at as string),
        deadline: r.deadline ? (r.deadline as string).slice(0, 10) : null,
        newDeadline: r.new_deadline ? (r.new_deadline as string).slice(0, 10) : null,
        signerId: r.signer_id as string,
        signerName: r.signer_name as string,
        signerOrgUnitId: r.signer_org_unit_id as string,
        signerOrgUnitName: r.signer_org_unit_name as string,
      });
      chains.set(r.subject_id as string, list);
    }

    const people = new Map<string, Tally & { name: string; orgUnit: { id: string; name: string } }>();
    const townships = new Map<string, Tally & { reopens: number }>();
    for (const [itemId, chain] of chains) {
      const tw = township.get(itemId)!;
      if (!townships.has(tw)) townships.set(tw, { ...tally(), reopens: 0 });
      const t = townships.get(tw)!;
      chain.forEach((s, index) => {
        if (s.at < start || s.at > end) return;
        if (s.eventType === 'REOPEN') t.reopens++;
        const step = stepOf(s.kind);
        if (!step) return;
        const after = aftermath(chain, index, today);
        if (!people.has(s.signerId)) people.set(s.signerId, { ...tally(), name: s.signerName, orgUnit: { id: s.signerOrgUnitId, name: s.signerOrgUnitName } });
        const p = people.get(s.signerId)!;
        // The unit the person signed in most recently within the period.
        p.orgUnit = { id: s.signerOrgUnitId, name: s.signerOrgUnitName };
        for (const target of [p, t]) {
          target.steps[step].signed.add(itemId);
          target.items.add(itemId);
          if (after.reopened) {
            target.steps[step].reopened.add(itemId);
            target.reopened.add(itemId);
          }
          if (after.overdue) {
            target.steps[step].overdue.add(itemId);
            target.overdue.add(itemId);
          }
        }
      });
    }

    const units = new Map((townships.size ? await this.items.manager.find(OrgUnit, { where: { id: In([...townships.keys()]) } }) : []).map((u) => [u.id, u]));
    const peopleOut: AccountabilityPersonResponse[] = [...people]
      .map(([id, p]) => ({
        signer: { id, name: p.name },
        orgUnit: p.orgUnit,
        steps: stepsOf(p),
        items: p.items.size,
        reopened: p.reopened.size,
        overdue: p.overdue.size,
      }))
      .sort(
        (a, b) =>
          b.reopened - a.reopened ||
          b.overdue - a.overdue ||
          a.orgUnit.name.localeCompare(b.orgUnit.name, 'zh-CN') ||
          a.signer.name.localeCompare(b.signer.name, 'zh-CN'),
      );
    const townshipsOut: AccountabilityTownshipResponse[] = [...townships]
      .filter(([, t]) => t.items.size > 0 || t.reopens > 0)
      .map(([id, t]) => ({
        township: { id, name: units.get(id)?.name ?? '' },
        steps: stepsOf(t),
        items: t.items.size,
        reopened: t.reopened.size,
        overdue: t.overdue.size,
        reopens: t.reopens,
      }))
      .sort(
        (a, b) =>
          (units.get(a.township.id)?.code ?? '~').localeCompare(units.get(b.township.id)?.code ?? '~') ||
          a.township.name.localeCompare(b.township.name, 'zh-CN'),
      );
    return { campaignId: campaign.id, from, to, people: peopleOut, townships: townshipsOut };
  }
}
