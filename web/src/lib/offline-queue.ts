/**
 * STUB — replaced by the offline-queue implementation (IndexedDB outbox).
 * Contract used by the pages:
 *   sendOrQueue(job) sends now when online; when the network fails the job is
 *   kept in IndexedDB with its own Idempotency-Key and sent exactly once later.
 *   `files` are uploaded first (POST /api/attachments) and their ids are put
 *   into body[filesField] (e.g. `evidence`) before the request itself is sent.
 */
export interface OutboxJob {
  /** What the user sees in the waiting list, e.g. "登记问题：张三 住房漏雨". */
  label: string;
  method: 'POST' | 'PATCH';
  path: string;
  body: Record<string, unknown>;
  files?: File[];
  filesField?: string;
}

export type SendResult = { queued: false; data: unknown } | { queued: true };

export async function sendOrQueue(_job: OutboxJob): Promise<SendResult> {
  throw new Error('offline queue not implemented yet');
}
