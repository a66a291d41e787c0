import type { EntityManager } from 'typeorm';
import type { WorkflowActor } from '../../workflows';
import type { AuthUser } from '../auth/auth-user';
import type { Scope } from '../orgs/scope.service';

/** Who is acting, resolved once per request before any transaction begins. */
export interface Caller {
  user: AuthUser;
  /** The caller as the pure workflow guards see them. */
  actor: WorkflowActor;
  /** What the caller may see. */
  scope: Scope;
}

/** A caller inside a transaction: every query of a state change runs on `tx`. */
export interface RequestContext extends Caller {
  tx: EntityManager;
}
