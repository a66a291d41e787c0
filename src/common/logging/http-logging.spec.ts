import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpLogging } from './http-logging';

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
