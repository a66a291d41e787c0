import { Card, Empty, Flex, Space, Spin, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { ledgerCells } from '../../../lib/item-filters';
import { ItemStateTag, OverdueTag } from './ItemStateTag';
import type { LedgerItem } from './types';

/** The ledger as cards (phone): one card per item, tapping opens it. */
export function LedgerCards({ items, loading }: { items: LedgerItem[]; loading: boolean }) {
  const navigate = useNavigate();
  if (!items.length) return loading ? <Spin style={{ display: 'block', margin: 24 }} /> : <Empty description="没有符合条件的问题" />;
  return (
    <Flex vertical gap={8}>
      {items.map((i) => {
        const c = ledgerCells(i);
        const where = [c.township, c.village].filter(Boolean).join(' · ');
        return (
          <Card
            key={i.id}
            size="small"
            hoverable
            onClick={() => navigate(`/items/${i.id}`)}
            data-testid={`item-row-${i.number}`}
            title={
              <Typography.Text ellipsis>
                #{i.number} {i.problemType.name ?? i.problemType.code}
              </Typography.Text>
            }
            extra={
              <Space size={4}>
                {i.overdue && <OverdueTag />}
                <ItemStateTag state={i.state} label={i.stateLabel} />
              </Space>
            }
          >
            <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 6 }}>
              {i.description}
            </Typography.Paragraph>
            <Flex vertical gap={2} style={{ fontSize: 13 }}>
              {where && <Typography.Text type="secondary">{where}</Typography.Text>}
              {i.household && (
                <Typography.Text type="secondary">
                  户主 {i.household.name || '—'}
                  {i.household.idNumber ? `\u3000${i.household.idNumber}` : ''}
                </Typography.Text>
              )}
              {(c.rectifier || c.deadline) && (
                <Typography.Text type="secondary">
                  {c.rectifier ? `整改责任人 ${c.rectifier}${c.planned ? '（计划）' : ''}` : ''}
                  {c.rectifier && c.deadline ? '　' : ''}
                  {c.deadline && <Typography.Text type={i.overdue ? 'danger' : 'secondary'}>时限 {c.deadline}</Typography.Text>}
                </Typography.Text>
              )}
            </Flex>
          </Card>
        );
      })}
    </Flex>
  );
}
