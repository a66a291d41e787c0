import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, Switch, Typography, type FormInstance, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { ApiError, fieldErrorsOf, messageOf } from '../../lib/api-error';
import { beijingToday } from '../../lib/deadline';
import { buildPayload, dateProblem, isRequired, TEXT_MAX, type ActionSpec, type FieldSpec, signatureWarning } from '../../lib/item-actions';
import { sendOrQueue } from '../../lib/offline-queue';
import { SIGNING_GRANT_HEADER } from '../../lib/signing-grant';
import { useOnline } from '../OutboxIndicator';
import { SIGNING_PASSWORD_FIELD, SigningPasswordItem, useSigningStep } from '../signing/SigningPassword';
import { DepartmentSelect, PhotoPicker, RectifierSelect } from './fields';
import type { OpenForm } from './open-forms';
import { shrinkPhoto } from './photo';
import type { ActionableItem, ItemActionResult } from './types';
import { FormSheet } from './FormSheet';

/** Obtaining a signing grant failed for want of a network: go on without one (the outbox keeps the job). */
function unlessOffline(err: unknown): undefined {
  if (err instanceof ApiError && err.code === 'NETWORK') return undefined;
  throw err;
}

export const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length);

function initialValues(spec: ActionSpec, item: ActionableItem, today: string): Record<string, unknown> {
  const init: Record<string, unknown> = {};
  for (const f of spec.fields) {
    if (f.name === 'fixedOnSite') init.fixedOnSite = item.fixedOnSite;
    if (f.name === 'measures' && item.measures) init.measures = item.measures;
  }
  // A ledger row may have planned the deadline; the reviewer confirms or changes it.
  if (spec.type === 'CONFIRM' && item.plannedDeadline && item.plannedDeadline > today) init.deadline = dayjs(item.plannedDeadline);
  return init;
}

/** A field's rule in an action form: required (given the other values) and, for dates, after today (and the current deadline). */
export function fieldRules(f: FieldSpec, form: FormInstance, today: string, currentDeadline: string | null | undefined) {
  return [
    {
      validator: async (_: unknown, v: unknown) => {
        const all = form.getFieldsValue(true) as Record<string, unknown>;
        if (isRequired(f, all) && blank(v)) {
          throw new Error(f.kind === 'photos' ? '请至少添加一张照片' : f.kind === 'textarea' ? `请填写${f.label}` : `请选择${f.label}`);
        }
        if (f.kind === 'date' && v) {
          const problem = dateProblem(f, (v as Dayjs).format('YYYY-MM-DD'), today, currentDeadline);
          if (problem) throw new Error(problem);
        }
      },
    },
  ];
}

/**
 * The control of one field of an action form (the single form and the batch
 * form): `itemId` is the item whose candidates the 整改责任人 list shows.
 */
export function fieldControl(
  f: FieldSpec,
  o: { itemId: string; today: string; currentDeadline: string | null | undefined; phone: boolean; toOrgUnitId?: string },
) {
  const size = o.phone ? 'large' : undefined;
  switch (f.kind) {
    case 'textarea':
      return <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={TEXT_MAX} placeholder={f.placeholder} size={size} />;
    case 'date':
      return (
        <DatePicker
          style={{ width: '100%' }}
          size={size}
          inputReadOnly={o.phone}
          placeholder="选择日期"
          disabledDate={(d) => !!dateProblem(f, d.format('YYYY-MM-DD'), o.today, o.currentDeadline)}
        />
      );
    case 'rectifier':
      return <RectifierSelect itemId={o.itemId} orgUnitId={o.toOrgUnitId} placeholder={f.placeholder ?? '输入姓名搜索'} size={size} />;
    case 'department':
      return <DepartmentSelect placeholder={f.placeholder} size={size} />;
    case 'photos':
      return <PhotoPicker phone={o.phone} />;
    case 'switch':
      return <Switch />;
  }
}

/**
 * One action's form, in a Modal (desktop) or a bottom Drawer (phone). The
 * Idempotency-Key is made once per opened form (open-forms.ts), so pressing
 * the button again after an error or a lost answer never signs twice.
 */
export function ActionForm({
  item,
  spec,
  state,
  open,
  phone,
  onClose,
  onClosed,
  onDone,
  onQueued,
}: {
  item: ActionableItem;
  spec: ActionSpec;
  /** Kept outside React so a remounted row reopens the form as it was (open-forms.ts). */
  state: OpenForm;
  open: boolean;
  phone: boolean;
  onClose: () => void;
  onClosed: () => void;
  onDone?: (result: ItemActionResult) => void;
  onQueued?: () => void;
}) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const key = state.idempotencyKey;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [today] = useState(() => beijingToday());
  const [initial] = useState(() => state.values ?? initialValues(spec, item, today));
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;
  const online = useOnline();
  // Without a network an offline action only waits on the device; the outbox asks for the password when it sends it.
  const signsNow = spec.signature && (online || !spec.offline);
  const signing = useSigningStep(form, signsNow);
  // Set when the server says the item moved on meanwhile; the lists refresh once the form is closed, not under the user's eyes.
  const stale = useRef(false);
  const close = () => {
    if (stale.current) {
      void queryClient.invalidateQueries({ queryKey: ['item', item.id] });
      void queryClient.invalidateQueries({ queryKey: ['inbox'] });
      void queryClient.invalidateQueries({ queryKey: ['items'] });
    }
    onClose();
  };

  const finish = (result: ItemActionResult) => {
    if ('deleted' in result && result.deleted) queryClient.removeQueries({ queryKey: ['item', item.id] });
    else queryClient.setQueryData(['item', item.id], result);
    for (const k of [['inbox'], ['items'], ['notifications'], ['signatures', item.id]]) void queryClient.invalidateQueries({ queryKey: k });
    message.success(spec.doneText);
    onDone?.(result);
    onClose();
  };

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
      const body = buildPayload(spec, v);
      if (spec.offline) {
        if (signsNow && (await signing.grant().catch(unlessOffline)) === null) return;
        const photos = (v.evidence as UploadFile[] | undefined) ?? [];
        const files = await Promise.all(photos.map((p) => shrinkPhoto(p.originFileObj as File)));
        const who = item.household?.name ? `${item.household.name} ` : '';
        const r = await sendOrQueue({
          label: `${spec.label}：序号 ${item.number} ${who}${(item.description ?? '').slice(0, 20)}`,
          method: 'POST',
          path: `/api/items/${item.id}/events`,
          body,
          files,
          filesField: 'evidence',
          signs: spec.signature,
        });
        if (r.queued) {
          message.info('已保存在本机，联网后自动发送');
          onQueued?.();
          close();
          return;
        }
        finish(r.data as ItemActionResult);
        return;
      }
      const grant = spec.signature ? await signing.grant() : undefined;
      if (grant === null) return;
      const data = await ok(
        api.POST('/api/items/{id}/events', {
          params: { path: { id: item.id }, header: { 'Idempotency-Key': key, ...(grant ? { [SIGNING_GRANT_HEADER]: grant } : {}) } },
          body: body as Schemas['ItemEventDto'],
        }),
      );
      finish(data as ItemActionResult);
    } catch (err) {
      const known = new Set<string>(spec.fields.map((f) => f.name));
      const fields = Object.entries(fieldErrorsOf(err)).filter(([name]) => known.has(name));
      form.setFields(fields.map(([name, msg]) => ({ name, errors: [msg] })));
      // Refused for its signing grant: the password field comes back, with the server's reason under it.
      if (!signing.refused(err)) setError(messageOf(err));
      if (err instanceof ApiError && (err.code === 'TRANSITION_REFUSED' || err.code === 'VERSION_CONFLICT')) stale.current = true;
    } finally {
      setBusy(false);
    }
  };

  const rulesFor = (f: FieldSpec) => fieldRules(f, form, today, item.deadline);

  const control = (f: FieldSpec) =>
    fieldControl(f, {
      itemId: item.id,
      today,
      currentDeadline: item.deadline,
      phone,
      toOrgUnitId: spec.type === 'ESCALATE' ? (values?.toOrgUnitId as string | undefined) : undefined,
    });

  const help = (f: FieldSpec) => {
    if (spec.type === 'CONFIRM' && f.name === 'rectifierId' && item.plannedRectifierName) return `台账填写的责任人：${item.plannedRectifierName}`;
    return f.help;
  };

  const fieldsShown = spec.fields.filter((f) => !(spec.type === 'SUBMIT' && f.name === 'measures' && values?.fixedOnSite !== true));
  const who = [item.household?.name, item.problemType?.name].filter(Boolean).join(' · ');

  const body = (
    <Form
      form={form}
      layout="vertical"
      initialValues={initial}
      onValuesChange={() => {
        // What was typed survives a remount; the password does not.
        const { [SIGNING_PASSWORD_FIELD]: _password, ...typed } = form.getFieldsValue(true) as Record<string, unknown>;
        state.values = typed;
      }}
      disabled={busy}
      requiredMark
      onFinish={submit}
    >
      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 12 }}>
        {who ? `${who}：` : ''}
        {item.description}
      </Typography.Paragraph>
      {spec.note && <Alert type="info" title={spec.note} style={{ marginBottom: 12 }} />}
      {fieldsShown.map((f) => (
        <Form.Item
          key={f.name}
          name={f.name}
          label={f.label}
          required={isRequired(f, values ?? {})}
          rules={rulesFor(f)}
          dependencies={f.requiredWhen ? [f.requiredWhen] : undefined}
          extra={help(f)}
          valuePropName={f.kind === 'switch' ? 'checked' : 'value'}
        >
          {control(f)}
        </Form.Item>
      ))}
      {spec.signature && <Alert type="warning" showIcon title={signatureWarning(spec.type, item.actingFor)} style={{ marginBottom: 12 }} />}
      {signing.asking && <SigningPasswordItem phone={phone} note={signing.note} />}
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Form>
  );

  const title = `${spec.label}（序号 ${item.number}）`;
  return (
    <FormSheet
      open={open}
      phone={phone}
      title={title}
      okText={spec.okText}
      danger={spec.danger}
      busy={busy}
      onOk={submit}
      onCancel={close}
      afterClose={onClosed}
    >
      {body}
    </FormSheet>
  );
}
