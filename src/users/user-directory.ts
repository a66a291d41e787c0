import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuthUser, toAuthUser } from '../auth/auth-user';
import { User } from './user.entity';

/** How long a user is taken as seen; bounds staleness should another process change them. */
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Active users by id, as the caller of a request (and a named rectifier) is
 * checked: a small in-process cache in front of one query. Everything that
 * changes whether or what a user is (deactivation, password reset, a change
 * of roles or unit) calls `forget` in the same process; the TTL bounds what
 * another instance of the service could still see.
 */
@Injectable()
export class UserDirectory {
  private readonly entries = new Map<string, { user: AuthUser; until: number }>();
  /** Bumped by every `forget`: a read that began before one is not cached (it may predate the change). */
  private epoch = 0;

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The active user with this id, or null; inside a transaction pass its manager (a miss then reads on it). */
  async activeUser(id: string, manager: EntityManager = this.users.manager): Promise<AuthUser | null> {
    const hit = this.entries.get(id);
    if (hit && hit.until > Date.now()) return hit.user;
    const epoch = this.epoch;
    const row = await manager.createQueryBuilder(User, 'u').innerJoinAndSelect('u.orgUnit', 'o').where('u.id = :id AND u.active', { id }).getOne();
    if (!row) {
      this.entries.delete(id);
      return null;
    }
    const user = toAuthUser(row);
    if (epoch !== this.epoch) return user;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { user, until: Date.now() + TTL_MS });
    return user;
  }

  /** Drops what is known of a user: the next request reads them again. */
  forget(id: string): void {
    this.epoch++;
    this.entries.delete(id);
  }
}
