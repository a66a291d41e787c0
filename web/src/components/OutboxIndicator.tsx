import { CloudUploadOutlined, DeleteOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Grid, List, Popconfirm, Popover, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { signingGrants } from '../auth/signing-grant';
import { outbox, type StoredJob } from '../lib/offline-queue';
import { SignConfirmModal } from './signing/SignConfirmModal';

function subscribeOnline(fn: () => void): () => void {
  window.addEventListener('online', fn);
  window.addEventListener('offline', fn);
  return () => {
    window.removeEventListener('online', fn);
    window.removeEventListener('offline', fn);
  };
}

/** Whether the browser says it is online, following its online/offline events. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

function JobRow({ job, sending }: { job: StoredJob; sending: boolean }) {
  const { message } = App.useApp();
  const failed = job.status === 'failed';
  return (
    <List.Item
      data-testid="outbox-job"
      actions={[
        failed && (
          <Button key="retry" size="small" type="link" icon={<ReloadOutlined />} onClick={() => void outbox.retry(job.id)}>
            重试
          </Button>
        ),
        <Popconfirm
          key="delete"
          title="删除这条待发送记录？"
          description="删除后这项操作不会再发送。"
          okText="删除"
          okButtonProps={{ danger: true }}
          cancelText="取消"
          onConfirm={async () => {
            await outbox.remove(job.id);
            message.info(`已删除：${job.label}`);
          }}
        >
          <Button size="small" type="link" danger icon={<DeleteOutlined />} disabled={sending}>
            删除
          </Button>
        </Popconfirm>,
      ].filter(Boolean)}
    >
      <List.Item.Meta
        title={
          <Space size={4} wrap>
            <Typography.Text style={{ wordBreak: 'break-all' }}>{job.label}</Typography.Text>
            {sending ? <Tag color="processing">发送中</Tag> : failed ? <Tag color="error">未能发送</Tag> : <Tag>等待发送</Tag>}
          </Space>
        }
        description={
          <>
            <div>
              {dayjs(job.createdAt).format('M月D日 HH:mm')} 保存
              {job.files.length > 0 && `，含 ${job.files.length} 个佐证材料`}
            </div>
            {job.lastError && (
              <Typography.Text type={failed ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                {failed ? '' : '上次尝试：'}
                {job.lastError}
              </Typography.Text>
            )}
          </>
        }
      />
    </List.Item>
  );
}

/**
 * Header badge for the outbox: how many writes wait on this device, what they
 * are, why the last try failed, and a way to send now or give one up.
 * Also announces each job the outbox sends or the server refuses. Signatures
 * made offline wait for the password (step-up signing): the first time one
 * waits the page asks for it, afterwards the list offers 输入密码并发送.
 */
export function OutboxIndicator() {
  const { message } = App.useApp();
  const state = useSyncExternalStore(outbox.subscribe, outbox.getState);
  const online = useOnline();
  const phone = !Grid.useBreakpoint().md;
  const [open, setOpen] = useState(false);
  const grant = useSyncExternalStore(signingGrants.subscribe, signingGrants.current);
  const [asking, setAsking] = useState(false);
  // Asked once by itself per page; after a 取消 the list's button asks again.
  const askedOnce = useRef(false);

  useEffect(
    () =>
      outbox.subscribe((e) => {
        if (e.type === 'sent') message.success(`已发送：${e.job.label}`);
        if (e.type === 'failed') message.error(`未能发送：${e.job.label}（${e.job.lastError ?? e.error.message}）`, 6);
        if (e.type === 'grant-needed' && !askedOnce.current) {
          askedOnce.current = true;
          setAsking(true);
        }
      }),
    [message],
  );

  const count = state.jobs.length;
  const failed = state.jobs.filter((j) => j.status === 'failed').length;
  const signed = state.jobs.filter((j) => j.status === 'waiting' && j.signs);
  const needsGrant = signed.length > 0 && !grant;
  // closed when emptied, so the next queued job does not pop the list open by itself
  useEffect(() => {
    if (count === 0) setOpen(false);
  }, [count]);

  const grantModal = (
    <SignConfirmModal
      open={asking && needsGrant}
      title="发送离线时的签字"
      okText="确认并发送"
      description={
        <>
          <Typography.Paragraph>断网时以您的名义所做的签字，发送前须再次确认是您本人：</Typography.Paragraph>
          <ul style={{ paddingInlineStart: 20, marginBottom: 0 }}>
            {signed.map((j) => (
              <li key={j.id}>{j.label}</li>
            ))}
          </ul>
        </>
      }
      onCancel={() => setAsking(false)}
      onSign={async () => {
        setAsking(false);
        await outbox.flush();
      }}
    />
  );
  if (count === 0) return grantModal;

  const sendNow = async () => {
    const r = await outbox.flush();
    if (r.stopped === 'offline' || r.stopped === 'retry') message.warning('网络不通，稍后会自动再试');
    else if (r.stopped === 'login') message.warning('登录已失效，重新登录后自动发送');
    else if (r.stopped === 'grant') {
      setOpen(false);
      setAsking(true);
    } else if (r.stopped === 'busy') message.info('另一个窗口正在发送');
  };

  const content = (
    <div style={{ width: phone ? 'calc(100vw - 40px)' : 380, maxHeight: '60vh', overflowY: 'auto' }}>
      {!online && <Alert type="warning" showIcon title="网络未连接，联网后自动发送" style={{ marginBottom: 8 }} />}
      {needsGrant && online && (
        <Alert
          type="warning"
          showIcon
          title={`${signed.length} 项签字等待确认`}
          description="请输入登录密码确认是您本人签字，确认后自动发送。"
          action={
            <Button
              size="small"
              type="primary"
              onClick={() => {
                setOpen(false);
                setAsking(true);
              }}
            >
              输入密码并发送
            </Button>
          }
          style={{ marginBottom: 8 }}
        />
      )}
      <List
        size="small"
        itemLayout="vertical"
        dataSource={state.jobs}
        rowKey="id"
        renderItem={(job) => <JobRow job={job} sending={state.sendingId === job.id} />}
      />
      <Button
        type="primary"
        block
        icon={<CloudUploadOutlined />}
        loading={state.flushing}
        disabled={count === failed}
        onClick={() => void sendNow()}
        style={{ marginTop: 8 }}
      >
        立即发送
      </Button>
    </div>
  );

  return (
    <>
      {grantModal}
      <Popover open={open} onOpenChange={setOpen} trigger="click" placement={phone ? 'bottom' : 'bottomRight'} title={`待发送（${count}）`} content={content}>
        {phone ? (
          // the phone header is narrow: an icon with the count, like the message bell beside it
          <Button type="text" aria-label={`待发送 ${count}`} data-testid="outbox-indicator" style={{ flexShrink: 0 }}>
            <Badge count={count} size="small" color={failed ? 'red' : 'orange'}>
              <CloudUploadOutlined style={{ fontSize: 18 }} spin={state.flushing} />
            </Badge>
          </Button>
        ) : (
          <Badge dot={failed > 0} offset={[-4, 4]}>
            <Button
              type={failed ? 'default' : 'text'}
              danger={failed > 0}
              icon={<CloudUploadOutlined />}
              aria-label={`待发送 ${count}`}
              data-testid="outbox-indicator"
              loading={state.flushing}
            >
              待发送 {count}
            </Button>
          </Badge>
        )}
      </Popover>
    </>
  );
}
