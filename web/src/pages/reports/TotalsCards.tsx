import { Card, Col, Row, Statistic } from 'antd';
import { formatRate, type Figures } from '../../lib/stats';

/** The headline figures of the current view (发现问题, 已确认, 已销号, 整改率, 超期, 重新打开). */
export function TotalsCards({ total, loading, phone }: { total: Figures | undefined; loading: boolean; phone: boolean }) {
  const cards: Array<{ key: string; title: string; value: number | string; danger?: boolean; good?: boolean }> = [
    { key: 'found', title: '发现问题', value: total?.found ?? 0 },
    { key: 'confirmed', title: '已确认', value: total?.confirmed ?? 0 },
    { key: 'closed', title: '已销号', value: total?.closed ?? 0, good: true },
    { key: 'rate', title: '整改率', value: formatRate(total?.rectificationRate) },
    { key: 'overdue', title: '超期', value: total?.overdue ?? 0, danger: (total?.overdue ?? 0) > 0 },
    { key: 'reopened', title: '重新打开', value: total?.reopened ?? 0 },
  ];
  return (
    <Row gutter={[phone ? 8 : 16, phone ? 8 : 16]}>
      {cards.map((c) => (
        <Col key={c.key} xs={8} md={8} xl={4}>
          <Card size="small" styles={{ body: { padding: phone ? 10 : 16 } }} data-testid={`stat-${c.key}`}>
            <Statistic
              title={c.title}
              value={c.value}
              loading={loading}
              styles={{ content: { fontSize: phone ? 20 : 26, color: c.danger ? '#cf1322' : c.good ? '#389e0d' : undefined } }}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
