import { Tag } from 'antd';
import { ITEM_STATE_COLORS, itemStateLabel, type ItemState } from '../../../lib/labels';

/** An item's state as a coloured tag, with the API's own label. */
export function ItemStateTag({ state, label }: { state: ItemState; label?: string }) {
  return (
    <Tag color={ITEM_STATE_COLORS[state] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {label ?? itemStateLabel(state)}
    </Tag>
  );
}

/** 超期: rectifying past its deadline (computed by the API). */
export function OverdueTag() {
  return (
    <Tag color="red" style={{ marginInlineEnd: 0 }}>
      超期
    </Tag>
  );
}
