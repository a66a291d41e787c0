import { Alert, Button, Empty, Grid, List, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { messageOf } from '../../lib/api-error';
import { NoticeDrawer, NoticeExportButton } from './NoticeDrawer';
import { useNotices, type Notice } from './queries';

/**
 * 督办通知书 the caller may see (the county office all of them, townships and
 * departments those sent to them), optionally of one campaign.
 */
export function NoticesList({ campaignId }: { campaignId?: string }) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { data = [], isLoading, error } = useNotices();
  const [openId, setOpenId] = useState<string>();
  const notices = campaignId ? data.filter((n) => n.campaign.id === campaignId) : data;

  if (error) return <Alert type="error" showIcon title={messageOf(error)} />;
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无督办通知书" />;

  return (
    <>
      {phone ? (
        <List<Notice>
          loading={isLoading}
          dataSource={notices}
          locale={{ emptyText: empty }}
          renderItem={(n) => (
            <List.Item data-testid={`notice-row-${n.number}`} onClick={() => setOpenId(n.id)} style={{ cursor: 'pointer' }}>
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <span>第 {n.number} 号</span>
                    <span>{n.recipient.name}</span>
                    <Tag color="red">{n.items.length} 个超期问题</Tag>
                    <ReceiptTag notice={n} />
                  </Space>
                }
                description={
                  <>
                    {!campaignId && <div>{n.campaign.title}</div>}
                    <Typography.Text type="secondary">
                      限 {n.deadline} 前整改完成 · {n.issuedBy.name} {dayjs(n.issuedAt).format('MM-DD HH:mm')} 签发
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<Notice>
          rowKey="id"
          size="middle"
          loading={isLoading}
          dataSource={notices}
          locale={{ emptyText: empty }}
          pagination={notices.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: true }}
          onRow={(n) => ({ 'data-testid': `notice-row-${n.number}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: '编号', dataIndex: 'number', width: 80, render: (v: number) => `第 ${v} 号` },
            ...(campaignId ? [] : [{ title: '专项行动', key: 'campaign', render: (_: unknown, n: Notice) => n.campaign.title }]),
            { title: '收件单位', key: 'recipient', render: (_: unknown, n: Notice) => <span style={{ whiteSpace: 'nowrap' }}>{n.recipient.name}</span> },
            {
              title: '超期问题',
              key: 'count',
              width: 100,
              onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (_: unknown, n: Notice) => <Tag color="red">{n.items.length} 个</Tag>,
            },
            { title: '限期整改完成', dataIndex: 'deadline', width: 130 },
            {
              title: '签发',
              key: 'issued',
              render: (_: unknown, n: Notice) => (
                <div>
                  <div>{n.issuedBy.name}</div>
                  <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                    {dayjs(n.issuedAt).format('YYYY-MM-DD HH:mm')}
                  </Typography.Text>
                </div>
              ),
            },
            { title: '签收 / 回复', key: 'receipt', width: 110, render: (_: unknown, n: Notice) => <ReceiptTag notice={n} /> },
            {
              title: '操作',
              key: 'actions',
              width: 200,
              render: (_: unknown, n: Notice) => (
                <Space>
                  <Button type="link" onClick={() => setOpenId(n.id)}>
                    查看
                  </Button>
                  <NoticeExportButton notice={n} size="small" />
                </Space>
              ),
            },
          ]}
        />
      )}
      <NoticeDrawer id={openId} onClose={() => setOpenId(undefined)} />
    </>
  );
}

/** Where the receiving unit stands with the notice: 未签收, 已签收, 已回复. */
function ReceiptTag({ notice }: { notice: Notice }) {
  if (notice.reply) return <Tag color="green">已回复</Tag>;
  if (notice.acknowledgement) return <Tag color="blue">已签收</Tag>;
  return <Tag color="orange">未签收</Tag>;
}
