import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<{ id?: unknown }>();

/**
 * The request being served, for records written while serving it (the audit
 * log keeps the request id that pino-http assigned and echoed as X-Request-Id).
 */
export const RequestContext = {
  middleware(req: { id?: unknown }, _res: unknown, next: () => void): void {
    storage.run(req, next);
  },
  current(): string | undefined {
    const id = storage.getStore()?.id;
    return id === undefined ? undefined : String(id);
  },
};
