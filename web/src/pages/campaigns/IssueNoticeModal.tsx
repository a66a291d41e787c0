import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Grid, Input, Modal, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, newIdempotencyKey, ok } from '../../api/client';
import { ApiError, fieldErrorsOf, messageOf } from '../../lib/api-error';
import { useScope, type Notice } from './queries';

interface Values {
  recipientOrgUnitId?: string;
  deadline?: dayjs.Dayjs;
  note?: string;
}

/** 签发督办通知书 (county office): to a township or a county department with overdue items in the campaign. */
export function IssueNoticeModal({
  campaignId,
  open,
  onClose,
  onIssued,
}: {
  campaignId: string;
  open: boolean;
  onClose: () => void;
  onIssued: (n: Notice) => void;
}) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const scope = useScope(open);
  const [key, setKey] = useState(newIdempotencyKey);
  const [refusal, setRefusal] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      setKey(newIdempotencyKey());
      setRefusal(null);
      form.resetFields();
    }
  }, [open, form]);

  const options = useMemo(() => {
    const units = scope.data?.orgUnits ?? [];
    const group = (kind: string, label: string) => ({
      label,
      title: label,
      options: units.filter((u) => u.kind === kind).map((u) => ({ value: u.id, label: u.name })),
    });
    return [group('township', '乡镇'), group('department', '县直部门')].filter((g) => g.options.length > 0);
  }, [scope.data]);

  const issue = useMutation({
    mutationFn: (v: Values) =>
      ok(
        api.POST('/api/campaigns/{id}/notices', {
          params: { path: { id: campaignId }, header: { 'Idempotency-Key': key } },
          body: { recipientOrgUnitId: v.recipientOrgUnitId!, deadline: v.deadline!.format('YYYY-MM-DD'), ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
        }),
      ),
    onSuccess: (notice) => {
      message.success(`已签发督办通知书第 ${notice.number} 号`);
      void queryClient.invalidateQueries({ queryKey: ['notices'] });
      onIssued(notice);
    },
    onError: (err) => {
      const fields = fieldErrorsOf(err);
      const names = Object.keys(fields);
      form.setFields(
        names.filter((n) => n === 'recipientOrgUnitId' || n === 'deadline' || n === 'note').map((n) => ({ name: n as keyof Values, errors: [fields[n]] })),
      );
      // A refused request (e.g. 409: the recipient has nothing overdue) gets a new key: the next try is a new request.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) setKey(newIdempotencyKey());
      setRefusal(messageOf(err));
    },
  });

  return (
    <Modal
      open={open}
      title="签发督办通知书"
      okText="签发"
      cancelText="取消"
      confirmLoading={issue.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={phone ? '100%' : 560}
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title="通知书列出收件单位在本专项行动中的全部超期问题，并按签发时的情况冻结保存。" />
      <Form<Values> form={form} layout="vertical" size={phone ? 'large' : 'middle'} onFinish={(v) => issue.mutate(v)} onValuesChange={() => setRefusal(null)}>
        <Form.Item name="recipientOrgUnitId" label="收件单位（乡镇或县直部门）" rules={[{ required: true, message: '请选择收件单位' }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} loading={scope.isLoading} options={options} placeholder="选择乡镇或县直部门" />
        </Form.Item>
        <Form.Item name="deadline" label="限期整改完成日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => !d.isAfter(dayjs(), 'day')} inputReadOnly={phone} />
        </Form.Item>
        <Form.Item name="note" label="督办意见（可选）" rules={[{ max: 4000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} placeholder="如：请于限期内整改到位，并将整改情况书面报县巩固办。" />
        </Form.Item>
      </Form>
      {refusal && <Alert type="error" showIcon title={refusal} />}
    </Modal>
  );
}
