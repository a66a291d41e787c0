import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { levels, type Level, type LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

type Request = IncomingMessage & { user?: { id: string } };

/**
 * The request log (pino-http): one line per request with its id, status,
 * time and the signed-in user, at `info` (4xx at `warn`, 5xx and failures at
 * `error`). A request whose line the configured level would drop costs no
 * logger work when it ends: its level is `silent` then, and the user is
 * added to the line itself rather than through a child logger made for
 * every request.
 */
export function httpLogging(level: LevelWithSilent): Options<IncomingMessage, ServerResponse> {
  const threshold = level === 'silent' ? Infinity : levels.values[level];
  const levelOf = (res: ServerResponse, err?: Error): Level => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info');
  const withUser = (req: Request, line: object) => ({ ...line, userId: req.user?.id });
  return {
    level,
    // A caller's X-Request-Id is kept when well-formed, otherwise we mint one; it is echoed back.
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.totpCode', 'req.body.recoveryCode', 'req.body.code'],
    customLogLevel: (_req, res, err) => {
      const chosen = levelOf(res, err);
      return levels.values[chosen] >= threshold ? chosen : 'silent';
    },
    customSuccessObject: (req, _res, line) => withUser(req, line),
    customErrorObject: (req, _res, _err, line) => withUser(req, line),
    autoLogging: { ignore: (req) => req.url?.startsWith('/api/health') ?? false },
  };
}
