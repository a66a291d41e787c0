import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { DomainError } from '../common/errors/domain-error';

/** Every path the Swagger UI and the OpenAPI document are served at (the UI's init script embeds the document). */
export const DOCS_PATHS = ['/api/docs', '/api/docs-json', '/api/docs-yaml'];

/**
 * In production the API's map is for logged-in users only: the same bearer
 * access token and live session as any API call (the `jwt` strategy), else
 * 401 in our error shape; a session that cannot be checked is a 503.
 * Swagger is mounted on the HTTP adapter directly, outside Nest's guards,
 * hence a middleware ahead of it.
 */
export function docsForLoggedInUsers(req: Request, res: Response, next: NextFunction): void {
  const authenticate = passport.authenticate('jwt', { session: false }, (err: unknown, user: unknown) => {
    if (err) next(err);
    else if (!user) next(new DomainError('UNAUTHENTICATED', '请先登录：API 文档只对已登录用户开放'));
    else next();
  }) as (req: Request, res: Response, next: NextFunction) => void;
  authenticate(req, res, next);
}
