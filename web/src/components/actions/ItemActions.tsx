import { Button, Flex, Grid, Tag, Tooltip } from 'antd';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useNavigate } from 'react-router';
import { actionSpec, visibleActions } from '../../lib/item-actions';
import { outbox } from '../../lib/offline-queue';
import { ActionForm } from './ActionForm';
import { claimForm, closeForm, currentForm, openForm, releaseForm, type OpenForm } from './open-forms';
import type { ActionableItem, ItemActionResult } from './types';

export type { ActionableItem, ItemActionResult } from './types';
export { isDeleted } from './types';

/** Whether this item has a write waiting in the device's outbox (sent when back online). */
function useWaitingInOutbox(itemId: string): boolean {
  const state = useSyncExternalStore(outbox.subscribe, outbox.getState);
  return state.jobs.some((j) => j.status === 'waiting' && j.path === `/api/items/${itemId}/events`);
}

/**
 * One button per action the item offers the current user (its
 * `availableActions`), each opening its form. After a successful action the
 * item cache is updated and lists are refreshed; `onDone` gets the item as it
 * is now (or `deleted: true` after 作废) so the caller can update in place.
 *
 * layout: `inline` (default buttons in a row), `compact` (small, for table
 * rows), `block` (full-width large buttons, for phones).
 */
export function ItemActions({
  item,
  onDone,
  onQueued,
  layout = 'inline',
}: {
  item: ActionableItem;
  onDone?: (result: ItemActionResult) => void;
  /** The action was kept on the device to send later (offline). */
  onQueued?: () => void;
  layout?: 'inline' | 'compact' | 'block';
}) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const navigate = useNavigate();
  // A form left open by this item's previous row (layout switch) opens again with what was typed.
  const [state, setState] = useState<OpenForm | null>(() => claimForm(item.id) ?? null);
  const [open, setOpen] = useState(() => !!currentForm(item.id));
  useEffect(() => {
    claimForm(item.id);
    return () => releaseForm(item.id);
  }, [item.id]);
  const active = state?.action ?? null;
  const waiting = useWaitingInOutbox(item.id);
  const actions = visibleActions(item.availableActions);
  if (actions.length === 0 && !active) return null;
  const block = layout === 'block';
  const spec = active ? actionSpec(active, item) : null;

  return (
    // Rows open the item on click; clicks here (and in the form's portal) are not row clicks.
    <div onClick={(e) => e.stopPropagation()} style={{ display: block ? 'block' : 'inline-block' }}>
      <Flex wrap gap={8} vertical={block}>
        {waiting && (
          <Tooltip title="联网后自动发送；可在页头的待发送列表中查看">
            <Tag color="warning" style={{ alignSelf: block ? 'flex-start' : 'center' }}>
              本机有待发送的操作
            </Tag>
          </Tooltip>
        )}
        {actions.map((a) => {
          const s = actionSpec(a, item);
          // Sending the same offline action twice would be refused once the first arrives.
          const held = waiting && s.offline;
          return (
            <Button
              key={a}
              type={s.primary ? 'primary' : 'default'}
              danger={s.danger}
              size={block ? 'large' : layout === 'compact' ? 'small' : 'middle'}
              block={block}
              disabled={held}
              autoInsertSpace={false}
              onClick={() => {
                if (s.route) return void navigate(s.route(item.id));
                setState(openForm(item.id, a));
                setOpen(true);
              }}
            >
              {s.label}
            </Button>
          );
        })}
      </Flex>
      {spec && state && (
        <ActionForm
          key={state.idempotencyKey}
          item={item}
          spec={spec}
          state={state}
          open={open}
          phone={phone}
          onClose={() => {
            closeForm(item.id);
            setOpen(false);
          }}
          onClosed={() => setState(null)}
          onDone={onDone}
          onQueued={onQueued}
        />
      )}
    </div>
  );
}
