import { createStore, del, get, set, values } from 'idb-keyval';
import type { OutboxStore, StoredJob } from './offline-queue';

/**
 * The outbox in IndexedDB (database `qingling-outbox`, one record per job, keyed by
 * its id). Its own database so clearing other caches never loses a cadre's unsent work.
 */
export function idbOutboxStore(): OutboxStore {
  const db = createStore('qingling-outbox', 'jobs');
  return {
    all: () => values<StoredJob>(db),
    get: (id) => get<StoredJob>(id, db),
    put: (job) => set(job.id, job, db),
    remove: (id) => del(id, db),
  };
}

/** Whether IndexedDB can be opened here (some private-browsing modes refuse it). */
export async function indexedDbUsable(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  try {
    await values(createStore('qingling-outbox', 'jobs'));
    return true;
  } catch {
    return false;
  }
}
