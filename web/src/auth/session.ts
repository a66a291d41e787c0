import { ApiError, toApiError } from '../lib/api-error';

/**
 * The console's session. The access token lives in this module's memory only;
 * the refresh token is an httpOnly SameSite=Strict cookie the API sets
 * (login with `refreshTokenIn: 'cookie'`), so no page script can read either
 * from storage. A reload restores the session by one silent refresh.
 */
let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<boolean> | null = null;
const listeners = new Set<(signedIn: boolean) => void>();

interface TokenAnswer {
  accessToken: string;
  expiresIn: number;
}

export function currentAccessToken(): string | null {
  return accessToken;
}

export function onSessionChange(fn: (signedIn: boolean) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setToken(answer: TokenAnswer | null): void {
  accessToken = answer?.accessToken ?? null;
  clearTimeout(refreshTimer);
  if (answer) {
    // renew a minute before expiry (or halfway for very short lifetimes)
    const ms = Math.max(5, answer.expiresIn > 120 ? answer.expiresIn - 60 : answer.expiresIn / 2) * 1000;
    refreshTimer = setTimeout(() => void refreshSession(), ms);
  }
  for (const fn of listeners) fn(answer !== null);
}

async function post(path: string, body: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw ApiError.offline();
  }
}

/** The second factor, for an account with TOTP on (the server answers TOTP_REQUIRED without it). */
export interface SecondFactor {
  totpCode?: string;
  recoveryCode?: string;
}

export async function login(username: string, password: string, second: SecondFactor = {}): Promise<void> {
  const res = await post('/api/auth/login', { username, password, ...second, refreshTokenIn: 'cookie' });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw toApiError(res.status, body);
  setToken(body as TokenAnswer);
}

/** Exchanges the refresh cookie for a new access token; concurrent callers share one request. */
export function refreshSession(): Promise<boolean> {
  inflight ??= (async () => {
    try {
      const res = await post('/api/auth/refresh', {});
      if (!res.ok) {
        // An unread body of a no-store answer keeps the request open in Chromium: release it.
        void res.body?.cancel();
        setToken(null);
        return false;
      }
      setToken((await res.json()) as TokenAnswer);
      return true;
    } catch {
      return false; // offline: keep what we have, try again later
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

/** Ends the session on the server (revokes the refresh token, clears the cookie). */
export async function logout(): Promise<void> {
  try {
    await post('/api/auth/logout', {});
  } finally {
    setToken(null);
  }
}

const changeListeners = new Set<() => void>();

/** Follows the server's PASSWORD_CHANGE_REQUIRED answers (the console then shows only the change-password page). */
export function onPasswordChangeRequired(fn: () => void): () => void {
  changeListeners.add(fn);
  return () => changeListeners.delete(fn);
}

export function announcePasswordChangeRequired(): void {
  for (const fn of changeListeners) fn();
}

const enrolmentListeners = new Set<() => void>();

/** Follows the server's TOTP_ENROLMENT_REQUIRED answers (the console then shows only the enrolment page). */
export function onTotpEnrolmentRequired(fn: () => void): () => void {
  enrolmentListeners.add(fn);
  return () => enrolmentListeners.delete(fn);
}

export function announceTotpEnrolmentRequired(): void {
  for (const fn of enrolmentListeners) fn();
}

/** Forget the session locally (e.g. after the server said the session is gone). */
export function dropSession(): void {
  setToken(null);
}
