import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DELEGABLE_ROLES, type Delegator } from '../../workflows/common';
import type { Role } from '../auth/roles';
import { Clock } from '../common/clock';
import { Delegation } from './delegation.entity';

/** How long a user's delegations are taken as read; bounds what another instance of the service could still see after one ends. */
const FRESH_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Held {
  startsOn: string;
  endsOn: string;
  delegator: Delegator;
}

/**
 * The delegations (委派) a user holds, as every request's scope and workflow
 * actor need them: a small in-process cache in front of one query, like
 * UserDirectory and SessionRegistry. Creating or ending a delegation calls
 * `forget` after its commit; FRESH_MS bounds what another instance could
 * still see. What is cached is the rows with their days: which of them hold
 * today is decided on every call, by the service clock.
 */
@Injectable()
export class DelegationDirectory {
  private readonly entries = new Map<string, { held: Held[]; until: number }>();
  private epoch = 0;

  constructor(
    @InjectRepository(Delegation) private readonly delegations: Repository<Delegation>,
    private readonly clock: Clock,
  ) {}

  /** The delegators whose duties `userId` holds today: active delegators of the delegate's own unit, not ended. */
  async delegatorsOf(userId: string, orgUnitId: string): Promise<Delegator[]> {
    const today = this.clock.today();
    return (await this.held(userId, orgUnitId)).filter((h) => h.startsOn <= today && today <= h.endsOn).map((h) => h.delegator);
  }

  private async held(userId: string, orgUnitId: string): Promise<Held[]> {
    const key = `${userId}:${orgUnitId}`;
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) return hit.held;
    const epoch = this.epoch;
    const rows: Array<{ starts_on: string; ends_on: string; id: string; display_name: string; roles: Role[] }> = await this.delegations.query(
      `SELECT d.starts_on::text, d.ends_on::text, p.id, p.display_name, p.roles
         FROM delegations d JOIN users p ON p.id = d.delegator_id
        WHERE d.delegate_id = $1 AND d.org_unit_id = $2 AND d.ended_at IS NULL AND d.ends_on >= $3::date
          AND p.active AND p.org_unit_id = d.org_unit_id`,
      [userId, orgUnitId, this.clock.today()],
    );
    const held = rows
      .map((r) => ({
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        delegator: { userId: r.id, displayName: r.display_name, roles: r.roles.filter((role) => DELEGABLE_ROLES.includes(role)) },
      }))
      .filter((h) => h.delegator.roles.length > 0);
    if (epoch === this.epoch) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { held, until: Date.now() + FRESH_MS });
    }
    return held;
  }

  /** A delegation to `userId` began or ended: the next request reads theirs again. */
  forget(userId: string): void {
    this.epoch++;
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${userId}:`)) this.entries.delete(key);
  }
}
