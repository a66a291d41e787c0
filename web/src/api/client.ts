import createClient from 'openapi-fetch';
import { announcePasswordChangeRequired, announceTotpEnrolmentRequired, currentAccessToken, dropSession, refreshSession } from '../auth/session';
import { ApiError, toApiError } from '../lib/api-error';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/**
 * fetch with the in-memory access token; one 401 triggers one silent refresh
 * (shared by concurrent requests) and a retry. Network failures become ApiError.offline().
 */
export async function authFetch(input: Request): Promise<Response> {
  const attempt = async (): Promise<Response> => {
    const req = input.clone();
    const token = currentAccessToken();
    if (token) req.headers.set('authorization', `Bearer ${token}`);
    try {
      return await fetch(req);
    } catch {
      throw ApiError.offline();
    }
  };
  const res = await attempt();
  if (res.status === 403) watchForPasswordChange(res);
  if (res.status !== 401 || input.url.includes('/api/auth/')) return res;
  if (!(await refreshSession())) {
    dropSession();
    return res;
  }
  // The 401 is answered by the retry; its unread (no-store) body would keep the request open in Chromium.
  void res.body?.cancel();
  return attempt();
}

/**
 * A 403 PASSWORD_CHANGE_REQUIRED (expired or admin-given password) switches the console to its change-password page;
 * a 403 TOTP_ENROLMENT_REQUIRED (the role requires a second factor) to its enrolment page.
 */
function watchForPasswordChange(res: Response): void {
  void res
    .clone()
    .json()
    .then((body: unknown) => {
      const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
      if (code === 'PASSWORD_CHANGE_REQUIRED') announcePasswordChangeRequired();
      if (code === 'TOTP_ENROLMENT_REQUIRED') announceTotpEnrolmentRequired();
    })
    .catch(() => undefined);
}

/** The typed client generated from the service's own OpenAPI document (schema.d.ts; `npm run api:types`). */
export const api = createClient<paths>({ baseUrl: '', fetch: authFetch, credentials: 'same-origin' });

/** Unwraps an openapi-fetch result: the data, or an ApiError with the server's Chinese message and field errors. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, error);
  return data as T;
}

/** A fresh Idempotency-Key for one user action (kept with queued offline requests so a resend never signs twice). */
export function newIdempotencyKey(): string {
  // crypto.randomUUID exists only in secure contexts; counties often serve the console over plain http
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Downloads a file endpoint (xlsx) with the access token and saves it under the server's file name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await authFetch(new Request(path));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => null));
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
