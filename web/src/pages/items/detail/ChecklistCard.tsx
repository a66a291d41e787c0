import { Card, Descriptions, Grid, Space, Tag, Typography } from 'antd';
import type { Schemas } from '../../../api/client';
import { deadlineStatus, deadlineText } from '../../../lib/deadline';
import { checklist, type ChecklistEntry } from './item-view';

type Item = Schemas['ItemResponse'];

const Planned = () => (
  <Tag color="default" style={{ marginInlineStart: 8 }}>
    计划
  </Tag>
);

function Entry({ entry, empty }: { entry: ChecklistEntry; empty: string }) {
  if (!entry.value) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <span>
      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{entry.value}</Typography.Text>
      {entry.planned ? <Planned /> : null}
    </span>
  );
}

/** 四项清单: 具体问题、整改措施、整改责任人、整改时限 — what the ledger row says about the problem. */
export function ChecklistCard({ item }: { item: Item }) {
  const screens = Grid.useBreakpoint();
  const c = checklist(item);
  const status = deadlineStatus(item);
  const statusText = deadlineText(status);
  // Before review the blanks are still to be decided; after it a blank stays blank (立行立改 has no deadline).
  const awaiting = ['draft', 'pending_review', 'returned'].includes(item.state);
  const blank = awaiting ? '待审核时确定' : item.fixedOnSite ? '立行立改，无需另定' : '—';
  return (
    <Card title="四项清单" size={screens.md ? 'default' : 'small'}>
      <Descriptions
        column={1}
        bordered
        size={screens.md ? 'middle' : 'small'}
        layout={screens.md ? 'horizontal' : 'vertical'}
        styles={{ label: { width: screens.md ? 120 : undefined, fontWeight: 500 } }}
        items={[
          {
            key: 'problem',
            label: '具体问题',
            children: <Typography.Text style={{ whiteSpace: 'pre-wrap', fontSize: 15 }}>{c.problem}</Typography.Text>,
          },
          {
            key: 'measures',
            label: '整改措施',
            children: (
              <Space size={4} wrap>
                <Entry entry={c.measures} empty={blank} />
                {item.fixedOnSite ? <Tag color="green">立行立改</Tag> : null}
              </Space>
            ),
          },
          { key: 'rectifier', label: '整改责任人', children: <Entry entry={c.rectifier} empty={blank} /> },
          {
            key: 'deadline',
            label: '整改时限',
            children: (
              <Space size={8} wrap>
                <Entry entry={c.deadline} empty={blank} />
                {status.kind === 'overdue' ? (
                  <Typography.Text type="danger" strong data-testid="overdue-days">
                    {statusText}
                  </Typography.Text>
                ) : item.state === 'rectifying' && statusText ? (
                  <Typography.Text type="secondary">{statusText}</Typography.Text>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
