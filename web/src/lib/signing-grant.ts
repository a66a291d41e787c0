import { ApiError } from './api-error';

/**
 * Step-up signing (等保): every signed request carries a signing grant, which
 * the signer obtains by entering the password again (POST
 * /api/auth/signing-grant). It lasts a few minutes, works only with the
 * session that obtained it, and is kept in the page's memory only — never in
 * storage — so a reload, another tab or a new login asks again.
 */
export const SIGNING_GRANT_HEADER = 'X-Signing-Grant';

/** The label of the password field wherever a signature asks for it. */
export const SIGNING_PASSWORD_LABEL = '签字确认：请输入登录密码';

/** A grant this close to its end is not used: the request must still arrive while it lasts. */
export const GRANT_MARGIN_MS = 15_000;

export interface SigningGrantHolder {
  /** The grant to send now, or null when there is none that lasts past the margin. */
  current(): string | null;
  /** Keeps a new grant, timed from now by the server's `expiresIn` (not by the device's clock, which may be wrong). */
  hold(grant: string, expiresInSeconds: number): void;
  drop(): void;
  /** Called when a grant is kept or dropped. */
  subscribe(fn: () => void): () => void;
}

export function createSigningGrantHolder(now: () => number = Date.now): SigningGrantHolder {
  let held: { grant: string; until: number } | null = null;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const fn of [...listeners]) fn();
  };
  return {
    current() {
      if (held && held.until - GRANT_MARGIN_MS > now()) return held.grant;
      return null;
    },
    hold(grant, expiresInSeconds) {
      held = { grant, until: now() + expiresInSeconds * 1000 };
      changed();
    },
    drop() {
      if (!held) return;
      held = null;
      changed();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
  };
}

/** The server refused a signature for its grant: none sent (SIGNING_GRANT_REQUIRED) or not (any longer) valid (SIGNING_GRANT_INVALID). */
export function isSigningGrantRefusal(err: unknown): boolean {
  return err instanceof ApiError && err.status === 403 && (err.code === 'SIGNING_GRANT_REQUIRED' || err.code === 'SIGNING_GRANT_INVALID');
}
