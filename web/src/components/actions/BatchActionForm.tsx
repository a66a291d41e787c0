import { Alert, Form, Typography } from 'antd';
import { useState } from 'react';
import { api, newIdempotencyKey, ok, type Schemas } from '../../api/client';
import { fieldErrorsOf, messageOf } from '../../lib/api-error';
import { batchSpec, buildBatchRequest, type BatchAction, type BatchRow } from '../../lib/batch';
import { beijingToday } from '../../lib/deadline';
import { isRequired, type FieldSpec } from '../../lib/item-actions';
import { SIGNING_GRANT_HEADER } from '../../lib/signing-grant';
import { SigningPasswordItem, useSigningStep } from '../signing/SigningPassword';
import { fieldControl, fieldRules } from './ActionForm';
import { FormSheet } from './FormSheet';

type BatchAnswer = Schemas['ItemBatchResponse'];

/**
 * One form for many rows (批量审批): the action's fields once, the signature
 * warning, and one POST /api/items/batch-events. The Idempotency-Key is made
 * when the form opens, so pressing the button again after a lost answer
 * returns the first answer and signs nothing twice. The page shows the
 * outcome per row (`onDone`).
 */
export function BatchActionForm({
  action,
  rows,
  phone,
  onClose,
  onDone,
}: {
  action: BatchAction;
  rows: BatchRow[];
  phone: boolean;
  onClose: () => void;
  onDone: (answer: BatchAnswer) => void;
}) {
  const [form] = Form.useForm();
  const [key] = useState(newIdempotencyKey);
  const [today] = useState(() => beijingToday());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(true);
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;
  const spec = batchSpec(action, rows);
  // Every batch action signs: one signing grant for the whole batch.
  const signing = useSigningStep(form, true);

  const submit = async () => {
    let v: Record<string, unknown>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const body = buildBatchRequest(spec, v, rows) as Schemas['ItemBatchEventDto'];
      const grant = await signing.grant();
      if (grant === null) return;
      const answer = await ok(api.POST('/api/items/batch-events', { params: { header: { 'Idempotency-Key': key, [SIGNING_GRANT_HEADER]: grant } }, body }));
      onDone(answer);
      setOpen(false);
    } catch (err) {
      const known = new Set<string>(spec.fields.map((f) => f.name));
      form.setFields(
        Object.entries(fieldErrorsOf(err))
          .filter(([name]) => known.has(name))
          .map(([name, msg]) => ({ name, errors: [msg] })),
      );
      if (!signing.refused(err)) setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const numbers = rows.map((r) => r.number).join('、');
  const body = (
    <Form form={form} layout="vertical" disabled={busy} requiredMark onFinish={submit}>
      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: numbers }} style={{ marginBottom: 12 }}>
        共 {rows.length} 项，序号 {numbers}
      </Typography.Paragraph>
      {spec.note && <Alert type="info" title={spec.note} style={{ marginBottom: 12 }} />}
      {spec.fields.map((f: FieldSpec) => (
        <Form.Item
          key={f.name}
          name={f.name}
          label={f.label}
          required={isRequired(f, values ?? {})}
          rules={fieldRules(f, form, today, null)}
          extra={f.kind === 'rectifier' ? '同一整改责任人负责所选的每个问题' : f.help}
        >
          {/* The candidates of the first row: a batch is one reviewer's rows, in one township or at the county. */}
          {fieldControl(f, { itemId: rows[0].id, today, currentDeadline: null, phone })}
        </Form.Item>
      ))}
      <Alert
        type="warning"
        showIcon
        title={`此操作将以您的名义签字：对所选 ${rows.length} 个问题逐个签字，记入各自的签字链，不可修改。`}
        style={{ marginBottom: 12 }}
      />
      {signing.asking && <SigningPasswordItem phone={phone} note={signing.note} />}
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Form>
  );

  const title = `${spec.label}（${rows.length} 项）`;
  return (
    <FormSheet open={open} phone={phone} title={title} okText={spec.okText} busy={busy} onOk={submit} onCancel={() => setOpen(false)} afterClose={onClose}>
      {body}
    </FormSheet>
  );
}
