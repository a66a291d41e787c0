import { createHmac } from 'node:crypto';

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Hand-made JWTs for attacks the real signer would never produce. */
export function craftJwt(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string | null): string {
  const head = `${b64(header)}.${b64(payload)}`;
  const sig = secret === null ? '' : createHmac('sha256', secret).update(head).digest('base64url');
  return `${head}.${sig}`;
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}
