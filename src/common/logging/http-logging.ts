import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { levels, type Level, type LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Query parameters whose values never reach the log. */
const SECRET_PARAM = /token|password|secret|grant|code|key|id_?number|idcard/i;
/** A resident ID number (GB 11643) anywhere in a path or query: 17 digits and a check character, not inside a longer number. */
const RESIDENT_ID = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g;

/**
 * A request URL fit for the log: secret-looking query values replaced and
 * any resident ID number masked (as the console shows it), so neither a
 * number nor a token in a query string is ever written down.
 */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const scrubbed = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // an undecodable name is judged as it stands
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=[Redacted]` : pair;
    })
    .join('&');
  // Digits and X written as %3N / %58 would slip past the pattern: read them as the characters they are.
  const decoded = `${path}${q < 0 ? '' : `?${scrubbed}`}`.replace(/%3([0-9])/g, '$1').replace(/%(58|78)/gi, 'X');
  return decoded.replace(RESIDENT_ID, (id) => `${id.slice(0, 6)}********${id.slice(14)}`);
}

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
    redact: [
      'req.headers.authorization',
      'req.headers.cookie',
      'req.headers["x-signing-grant"]',
      'res.headers["set-cookie"]',
      'req.body.password',
      'req.body.totpCode',
      'req.body.recoveryCode',
      'req.body.code',
    ],
    serializers: { req: (req: { url?: string }) => (typeof req.url === 'string' ? { ...req, url: loggableUrl(req.url) } : req) },
    customLogLevel: (_req, res, err) => {
      const chosen = levelOf(res, err);
      return levels.values[chosen] >= threshold ? chosen : 'silent';
    },
    customSuccessObject: (req, _res, line) => withUser(req, line),
    customErrorObject: (req, _res, _err, line) => withUser(req, line),
    autoLogging: { ignore: (req) => req.url?.startsWith('/api/health') ?? false },
  };
}
