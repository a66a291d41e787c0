import { CheckCircleOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Flex, Form, Input, Modal, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, newIdempotencyKey, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { messageOf } from '../../lib/api-error';
import type { Notice } from './queries';

/** Whether the signed-in user is who receives the notice: a township's leader, or staff of the department. */
export function receivesNotice(me: { roles: string[]; orgUnit: { id: string } } | null | undefined, notice: Pick<Notice, 'recipient'>): boolean {
  if (!me || me.orgUnit.id !== notice.recipient.id) return false;
  return notice.recipient.kind === 'township' ? me.roles.includes('township_leader') : me.roles.includes('department_staff');
}

/**
 * 签收 and 回复 of a 督办通知书: what the county office sees (who signed for it
 * and when, the reply), and for the receiving unit's leader the two actions.
 */
export function NoticeReceipt({ notice, phone }: { notice: Notice; phone: boolean }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [replying, setReplying] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const [form] = Form.useForm<{ text: string }>();
  const receiver = receivesNotice(me, notice);
  const refresh = (n: Notice) => {
    queryClient.setQueryData(['notice', notice.id], n);
    void queryClient.invalidateQueries({ queryKey: ['notices'] });
  };
  const acknowledge = useMutation({
    mutationFn: () =>
      ok(api.POST('/api/notices/{id}/acknowledge', { params: { path: { id: notice.id }, header: { 'Idempotency-Key': newIdempotencyKey() } } })),
    onSuccess: (n) => {
      refresh(n);
      message.success('已签收');
    },
    onError: (err) => message.error(messageOf(err)),
  });
  const reply = useMutation({
    mutationFn: (text: string) =>
      ok(api.POST('/api/notices/{id}/reply', { params: { path: { id: notice.id }, header: { 'Idempotency-Key': key } }, body: { text } })),
    onSuccess: (n) => {
      refresh(n);
      setReplying(false);
      message.success('已回复');
    },
    onError: () => setKey(newIdempotencyKey()),
  });
  const ack = notice.acknowledgement;
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        签收与回复
      </Typography.Title>
      <Descriptions
        size="small"
        column={1}
        bordered={!phone}
        items={[
          {
            key: 'ack',
            label: '签收',
            children: ack ? (
              <span data-testid="notice-acknowledged">
                <Tag color="green">已签收</Tag>
                {ack.by.name} · {dayjs(ack.at).format('YYYY-MM-DD HH:mm')}
              </span>
            ) : (
              <Tag color="orange">未签收</Tag>
            ),
          },
          {
            key: 'reply',
            label: '回复',
            children: notice.reply ? (
              <Flex vertical gap={2} data-testid="notice-reply">
                <span style={{ whiteSpace: 'pre-wrap' }}>{notice.reply.text}</span>
                <Typography.Text type="secondary">
                  {notice.reply.by.name} · {dayjs(notice.reply.at).format('YYYY-MM-DD HH:mm')}
                </Typography.Text>
              </Flex>
            ) : (
              <Tag>未回复</Tag>
            ),
          },
        ]}
      />
      {receiver && (!ack || !notice.reply) && (
        <Flex gap={8} wrap style={{ marginTop: 12 }} vertical={phone}>
          {!ack && (
            <Button
              type="primary"
              icon={<CheckCircleOutlined />}
              loading={acknowledge.isPending}
              onClick={() => acknowledge.mutate()}
              block={phone}
              size={phone ? 'large' : 'middle'}
            >
              签收
            </Button>
          )}
          {!notice.reply && (
            <Button icon={<EditOutlined />} onClick={() => setReplying(true)} block={phone} size={phone ? 'large' : 'middle'}>
              回复整改情况
            </Button>
          )}
        </Flex>
      )}
      <Modal
        open={replying}
        title={`回复督办通知书第 ${notice.number} 号`}
        okText="提交回复"
        confirmLoading={reply.isPending}
        onCancel={() => setReplying(false)}
        onOk={() => void form.validateFields().then((v) => reply.mutate(v.text))}
        destroyOnHidden
      >
        {reply.error && <Alert type="error" showIcon title={messageOf(reply.error)} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="text" label="整改落实情况" rules={[{ required: true, whitespace: true, message: '请填写回复内容' }]}>
            <Input.TextArea rows={5} maxLength={4000} showCount />
          </Form.Item>
          <Typography.Text type="secondary">回复只能提交一次；尚未签收的，提交回复即同时签收。</Typography.Text>
        </Form>
      </Modal>
    </>
  );
}
