import { newIdempotencyKey } from '../../api/client';
import type { ItemAction } from '../../lib/labels';

/**
 * The action form a user has open, per item, outside React: switching
 * between the desktop table and the phone cards (turning the phone, coming
 * back from the camera in landscape) remounts the row's buttons, and the
 * typed text, picked photos and Idempotency-Key must survive that.
 */
export interface OpenForm {
  action: ItemAction;
  idempotencyKey: string;
  values: Record<string, unknown> | null;
}

const forms = new Map<string, OpenForm>();
const pendingDrops = new Map<string, ReturnType<typeof setTimeout>>();
const REMOUNT_GRACE_MS = 1000;

export function openForm(itemId: string, action: ItemAction): OpenForm {
  const f: OpenForm = { action, idempotencyKey: newIdempotencyKey(), values: null };
  forms.set(itemId, f);
  return f;
}

/** The form still open for this item, claimed by a (re)mounted row. */
export function claimForm(itemId: string): OpenForm | undefined {
  const t = pendingDrops.get(itemId);
  if (t) clearTimeout(t);
  pendingDrops.delete(itemId);
  return forms.get(itemId);
}

export function currentForm(itemId: string): OpenForm | undefined {
  return forms.get(itemId);
}

export function closeForm(itemId: string): void {
  forms.delete(itemId);
}

/** A row unmounted: forget its form unless a new row claims it right away. */
export function releaseForm(itemId: string): void {
  if (!forms.has(itemId)) return;
  const t = setTimeout(() => {
    forms.delete(itemId);
    pendingDrops.delete(itemId);
  }, REMOUNT_GRACE_MS);
  pendingDrops.set(itemId, t);
}
