import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpLogging, loggableUrl } from './http-logging';

const res = (statusCode: number) => ({ statusCode }) as ServerResponse;
const req = (userId?: string) => ({ headers: {}, user: userId ? { id: userId } : undefined }) as unknown as IncomingMessage;

describe('the request log', () => {
  it.each([
    ['info', 200, 'info'],
    ['info', 404, 'warn'],
    ['info', 500, 'error'],
    ['warn', 200, 'silent'],
    ['warn', 409, 'warn'],
    ['warn', 503, 'error'],
    ['error', 400, 'silent'],
    ['silent', 500, 'silent'],
  ] as const)('at LOG_LEVEL=%s a %i answer is logged at %s (silent: no logger work at all)', (level, status, expected) => {
    expect(httpLogging(level).customLogLevel!(req(), res(status), undefined)).toBe(expected);
  });

  it('a failure is an error whatever the status', () => {
    expect(httpLogging('info').customLogLevel!(req(), res(200), new Error('socket hang up'))).toBe('error');
  });

  it('names the signed-in user on the line, success or failure', () => {
    const options = httpLogging('info');
    expect(options.customSuccessObject!(req('u-1'), res(200), { responseTime: 3 })).toEqual({ responseTime: 3, userId: 'u-1' });
    expect(options.customErrorObject!(req('u-2'), res(500), new Error('x'), { responseTime: 3 })).toEqual({ responseTime: 3, userId: 'u-2' });
  });

  it('keeps a well-formed X-Request-Id and replaces any other', () => {
    const { genReqId } = httpLogging('info');
    const headers: Record<string, string> = {};
    const response = { setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as ServerResponse;
    expect(genReqId!({ headers: { 'x-request-id': 'abc-123' } } as unknown as IncomingMessage, response)).toBe('abc-123');
    expect(headers['X-Request-Id']).toBe('abc-123');
    const minted = genReqId!({ headers: { 'x-request-id': 'bad id\n' } } as unknown as IncomingMessage, response);
    expect(minted).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['X-Request-Id']).toBe(minted);
  });
});

describe('loggableUrl', () => {
  it('masks resident ID numbers in paths and queries, percent-encoded or not', () => {
    expect(loggableUrl('/api/items?household=11010519491231002X&page=2')).toBe('/api/items?household=110105********002X&page=2');
    expect(loggableUrl('/api/lookup/%3110105194912310029')).toBe('/api/lookup/110105********0029');
  });

  it('replaces the values of token, password, grant and code parameters', () => {
    expect(loggableUrl('/api/x?access_token=eyJabc&grant=g1&totpCode=123456&state=closed')).toBe(
      '/api/x?access_token=[Redacted]&grant=[Redacted]&totpCode=[Redacted]&state=closed',
    );
  });

  it('leaves ordinary numbers and URLs alone', () => {
    expect(loggableUrl('/api/items/5d0c1f9a-0000-4000-8000-000000000000?after=123456789012345678901')).toBe(
      '/api/items/5d0c1f9a-0000-4000-8000-000000000000?after=123456789012345678901',
    );
  });
});
