import { Agent, request } from 'node:http';

/**
 * The benchmarks' HTTP client and figures: plain node:http on a keep-alive
 * agent (no client library between the request and the clock), and the
 * percentile and rounding every result table uses.
 */

export interface Answer {
  status: number;
  body: string;
}

export class Http {
  constructor(
    readonly port: number,
    readonly agent = new Agent({ keepAlive: true, maxSockets: 256 }),
  ) {}

  call(method: string, path: string, token: string | null, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          agent: this.agent,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          res.once('error', reject);
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  }

  /** A JSON request whose 2xx answer is parsed; anything else throws with the status and the start of the body. */
  async json<T>(method: string, path: string, token: string | null, body?: object, headers?: Record<string, string>): Promise<T> {
    const res = await this.call(method, path, token, body === undefined ? undefined : JSON.stringify(body), headers);
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body.slice(0, 500)}`);
    return JSON.parse(res.body) as T;
  }
}

export const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** The nearest-rank percentile of an ascending list (NaN for none). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}
