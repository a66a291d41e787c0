import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { RefreshToken } from './refresh-token.entity';
import { Session, SessionEndReason } from './session.entity';

/** How long a session's state is taken as read; bounds what another instance of the service could still accept after it ended. */
const FRESH_MS = 5_000;
/** Use is written to the row at most this often: the request path stays free of writes in the common case. */
const TOUCH_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface SessionState {
  userId: string;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  signingGrant: SigningGrantState | null;
}

/** A session's signing grant as stored: the SHA-256 of the grant and when it ends. */
export interface SigningGrantState {
  hash: string;
  expiresAt: Date;
}

/** Where a login came from, as the session list shows it. */
export interface SessionClient {
  userAgent: string | null;
  ip: string | null;
}

/**
 * Sessions, as every request checks them: a small in-process cache of each
 * session's state in front of one query, like UserDirectory. Everything that
 * ends sessions calls `forget`/`forgetUser` in the same process after its
 * commit; FRESH_MS bounds what another instance could still see.
 *
 * Whatever changes what a user may do ends their sessions: inside the
 * change's transaction `endAllOf(tx, userId, reason)`, then, after the
 * commit, `forgetUser(userId)` (with UserDirectory.forget). Password reset,
 * own password change and deactivation do so today; a role change must do the
 * same with reason 'roles_changed'.
 */
@Injectable()
export class SessionRegistry {
  private readonly entries = new Map<string, { state: SessionState; until: number }>();
  /** Bumped by every forget: a read that began before one is not cached (it may predate the change). */
  private epoch = 0;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async start(userId: string, countyId: string, client: SessionClient, manager: EntityManager = this.sessions.manager): Promise<Session> {
    const now = this.clock.now();
    return manager.save(
      manager.create(Session, {
        countyId,
        userId,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.config.SESSION_MAX_HOURS * 3_600_000),
        endedAt: null,
        endReason: null,
        userAgent: client.userAgent?.slice(0, 512) || null,
        ip: client.ip?.slice(0, 64) || null,
      }),
    );
  }

  /**
   * Whether session `id` of `userId` is live now; records its use (at most
   * once a minute). A session found idle or past its absolute end is ended.
   */
  async isLive(id: string, userId: string): Promise<boolean> {
    const now = this.clock.now();
    const hit = this.entries.get(id);
    let state = hit && hit.until > Date.now() ? hit.state : await this.load(id);
    // Another instance may have recorded use the cached state does not show.
    if (state && hit && state === hit.state && this.lapse(state, now)) state = await this.load(id);
    if (!state || state.userId !== userId || state.endedAt) return false;
    const lapse = this.lapse(state, now);
    if (lapse) {
      await this.end(id, lapse);
      return false;
    }
    if (now.getTime() - state.lastSeenAt.getTime() >= TOUCH_MS) {
      await this.sessions.update({ id, endedAt: IsNull() }, { lastSeenAt: now });
      state.lastSeenAt = now;
    }
    return true;
  }

  /** Why a session that has not been ended is nevertheless over at `now`, or null. */
  lapse(s: Pick<SessionState, 'lastSeenAt' | 'expiresAt'>, now: Date): SessionEndReason | null {
    if (now.getTime() >= s.expiresAt.getTime()) return 'expired';
    if (now.getTime() - s.lastSeenAt.getTime() >= this.config.SESSION_IDLE_MINUTES * 60_000) return 'idle';
    return null;
  }

  /** The user's live sessions, most recently used first. */
  async liveOf(userId: string): Promise<Session[]> {
    const now = this.clock.now();
    const rows = await this.sessions.find({ where: { userId, endedAt: IsNull() }, order: { lastSeenAt: 'DESC', createdAt: 'DESC' } });
    return rows.filter((s) => !this.lapse(s, now));
  }

  /** Ends one of the user's own live sessions; anyone else's, or one already over, is 404. */
  async endOwnOrThrow(userId: string, id: string): Promise<void> {
    const row = await this.sessions.findOne({ where: { id, userId, endedAt: IsNull() } });
    if (!row || this.lapse(row, this.clock.now())) throw DomainError.notFound('会话');
    await this.end(id, 'ended_by_user');
  }

  /** Ends one session and revokes its refresh tokens (its own statements, then forgotten at once). */
  async end(id: string, reason: SessionEndReason, manager: EntityManager = this.sessions.manager): Promise<void> {
    await manager.update(Session, { id, endedAt: IsNull() }, { endedAt: this.clock.now(), endReason: reason });
    await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()' })
      .where('session_id = :id AND revoked_at IS NULL', { id })
      .execute();
    if (manager === this.sessions.manager) this.forget(id);
  }

  /**
   * Ends every session of a user but `keep` and revokes their refresh tokens,
   * inside the caller's transaction; call `forgetUser` after the commit.
   */
  async endAllOf(manager: EntityManager, userId: string, reason: SessionEndReason, keep?: string): Promise<void> {
    const now = this.clock.now();
    const q = manager.createQueryBuilder().update(Session).set({ endedAt: now, endReason: reason }).where('user_id = :userId AND ended_at IS NULL', { userId });
    if (keep) q.andWhere('id <> :keep', { keep });
    await q.execute();
    const r = manager.createQueryBuilder().update(RefreshToken).set({ revokedAt: now }).where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (keep) r.andWhere('session_id <> :keep', { keep });
    await r.execute();
  }

  /**
   * Records a new signing grant (its hash) on a live session of `userId`,
   * replacing any earlier one; answers when it ends (never after the session's
   * absolute end), or null when the session is not live. Forgotten at once,
   * so this process's next request sees it.
   */
  async grantSigning(id: string, userId: string, hash: string, until: Date): Promise<Date | null> {
    const [rows] = (await this.sessions.query(
      `UPDATE sessions SET signing_grant_hash = $3, signing_grant_expires_at = LEAST($4::timestamptz, expires_at)
        WHERE id = $1 AND user_id = $2 AND ended_at IS NULL
    RETURNING signing_grant_expires_at AS "until"`,
      [id, userId, hash, until],
    )) as [Array<{ until: Date }>, number];
    this.forget(id);
    return rows[0] ? new Date(rows[0].until) : null;
  }

  /**
   * The session's signing grant. As the request's session check just read it
   * (no SQL while that is fresh), or read anew with `reread` (a grant another
   * instance issued is not in this process's cache yet).
   */
  async signingGrantOf(id: string, reread = false): Promise<SigningGrantState | null> {
    const hit = this.entries.get(id);
    const state = !reread && hit && hit.until > Date.now() ? hit.state : await this.load(id);
    return state?.signingGrant ?? null;
  }

  forget(id: string): void {
    this.epoch++;
    this.entries.delete(id);
  }

  forgetUser(userId: string): void {
    this.epoch++;
    for (const [id, e] of this.entries) if (e.state.userId === userId) this.entries.delete(id);
  }

  private async load(id: string): Promise<SessionState | null> {
    const epoch = this.epoch;
    const row = await this.sessions.findOne({
      where: { id },
      select: { id: true, userId: true, lastSeenAt: true, expiresAt: true, endedAt: true, signingGrantHash: true, signingGrantExpiresAt: true },
    });
    if (!row) {
      this.entries.delete(id);
      return null;
    }
    const state: SessionState = {
      userId: row.userId,
      lastSeenAt: row.lastSeenAt,
      expiresAt: row.expiresAt,
      endedAt: row.endedAt,
      signingGrant: row.signingGrantHash && row.signingGrantExpiresAt ? { hash: row.signingGrantHash, expiresAt: row.signingGrantExpiresAt } : null,
    };
    if (epoch !== this.epoch) return state;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { state, until: Date.now() + FRESH_MS });
    return state;
  }
}
