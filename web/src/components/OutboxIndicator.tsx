/** STUB — replaced by the offline-queue work: shows what is waiting to be sent. */
export function OutboxIndicator() {
  return null;
}
