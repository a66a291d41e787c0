import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Grid, List, Skeleton, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { download } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { NoticeReceipt } from './NoticeReceipt';
import { useNotice, type Notice } from './queries';

type NoticeItem = Notice['items'][number];

export function noticeTitle(n: Pick<Notice, 'number' | 'recipient'>): string {
  return `督办通知书 第 ${n.number} 号 · ${n.recipient.name}`;
}

/** 导出 .xlsx of one notice (GET /api/notices/{id}/notice.xlsx). */
export function NoticeExportButton({ notice, block, size }: { notice: Pick<Notice, 'id' | 'number'>; block?: boolean; size?: 'small' | 'middle' | 'large' }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await download(`/api/notices/${notice.id}/notice.xlsx`, `督办通知书-第${notice.number}号.xlsx`);
    } catch (err) {
      message.error(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} block={block} size={size}>
      导出 .xlsx
    </Button>
  );
}

/** One notice with the overdue items it froze when issued. */
export function NoticeDrawer({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { data: notice, isLoading, error } = useNotice(id);
  const columns = [
    { title: '序号', dataIndex: 'number', width: 72, render: (n: number, r: NoticeItem) => <Link to={`/items/${r.id}`}>{n}</Link> },
    { title: '所在单位', dataIndex: 'orgUnitName', width: 120 },
    { title: '具体问题', dataIndex: 'description' },
    { title: '整改责任人', dataIndex: 'rectifierName', width: 100, render: (v: string | null) => v ?? '—' },
    { title: '原整改时限', dataIndex: 'deadline', width: 110, render: (v: string | null) => v ?? '—' },
    { title: '超期天数', dataIndex: 'daysOverdue', width: 90, render: (d: number) => <Tag color="red">{d} 天</Tag> },
  ];
  return (
    <Drawer open={!!id} onClose={onClose} size={phone ? '100%' : 880} title={notice ? noticeTitle(notice) : '督办通知书'} destroyOnHidden>
      {isLoading && <Skeleton active />}
      {error && <Alert type="error" showIcon title={messageOf(error)} />}
      {notice && (
        <>
          <Descriptions
            size="small"
            column={phone ? 1 : 2}
            bordered={!phone}
            items={[
              { key: 'campaign', label: '专项行动', children: `${notice.campaign.title}（${notice.campaign.docNumber}）`, span: phone ? 1 : 2 },
              { key: 'recipient', label: '收件单位', children: notice.recipient.name },
              { key: 'deadline', label: '限期整改完成', children: <Typography.Text strong>{notice.deadline}</Typography.Text> },
              { key: 'by', label: '签发人', children: notice.issuedBy.name },
              { key: 'at', label: '签发时间', children: dayjs(notice.issuedAt).format('YYYY-MM-DD HH:mm') },
              ...(notice.note
                ? [{ key: 'note', label: '督办意见', children: <span style={{ whiteSpace: 'pre-wrap' }}>{notice.note}</span>, span: phone ? 1 : 2 }]
                : []),
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            超期问题（{notice.items.length} 个，签发时冻结）
          </Typography.Title>
          {phone ? (
            <List
              dataSource={notice.items}
              renderItem={(r) => (
                <List.Item>
                  <List.Item.Meta
                    title={
                      <Link to={`/items/${r.id}`}>
                        {r.number} · {r.orgUnitName}
                      </Link>
                    }
                    description={
                      <>
                        <div>{r.description}</div>
                        <Typography.Text type="secondary">
                          {r.rectifierName ?? '未定整改责任人'} · 原时限 {r.deadline ?? '—'} ·{' '}
                          <Typography.Text type="danger">超期 {r.daysOverdue} 天</Typography.Text>
                        </Typography.Text>
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          ) : (
            <Table<NoticeItem> rowKey="id" size="small" columns={columns} dataSource={notice.items} pagination={false} scroll={{ x: true }} />
          )}
          <NoticeReceipt notice={notice} phone={phone} />
          <div style={{ marginTop: 16 }}>
            <NoticeExportButton notice={notice} block={phone} size={phone ? 'large' : 'middle'} />
          </div>
        </>
      )}
    </Drawer>
  );
}
