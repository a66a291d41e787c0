import type { CookieOptions, Request, Response } from 'express';

/**
 * The web console's refresh token lives in this cookie: httpOnly so page
 * scripts (and anything injected into the page) cannot read it, SameSite=Strict
 * so no other site can make the browser send it, scoped to /api/auth so it
 * travels only to refresh and logout, and Secure whenever the request came
 * over TLS (directly, or through a proxy trusted with TRUST_PROXY).
 */
export const REFRESH_COOKIE = 'qingling_refresh';
const PATH = '/api/auth';

function options(req: Request, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: PATH, ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) };
}

export function setRefreshCookie(req: Request, res: Response, token: string, ttlDays: number): void {
  res.cookie(REFRESH_COOKIE, token, options(req, ttlDays * 86_400_000));
}

export function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, options(req));
}

export function refreshCookieOf(req: Request): string | undefined {
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}
