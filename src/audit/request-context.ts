import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<{ id?: unknown; ip?: string }>();

/**
 * The request being served, for records written while serving it (the audit
 * log keeps the request id that pino-http assigned and echoed as X-Request-Id,
 * and the client's address as Express gives it: behind TRUST_PROXY, the
 * forwarded one).
 */
export const RequestContext = {
  middleware(req: { id?: unknown; ip?: string }, _res: unknown, next: () => void): void {
    storage.run(req, next);
  },
  current(): string | undefined {
    const id = storage.getStore()?.id;
    return id === undefined ? undefined : String(id);
  },
  /** The client's address, or undefined outside a request. */
  ip(): string | undefined {
    return storage.getStore()?.ip;
  },
};
