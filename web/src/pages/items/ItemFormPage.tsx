import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Grid, Input, Result, Select, Switch, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, newIdempotencyKey, ok, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { ApiError, messageOf } from '../../lib/api-error';
import { useCampaigns, useCurrentCampaignId } from '../../lib/campaign';
import {
  findProblemType,
  itemToFormValues,
  onlyOrgUnit,
  orgUnitTree,
  outboxLabel,
  placeServerErrors,
  limitedProblemTypeTree,
  sectorTypeCodes,
  recordingClosedReason,
  toCreateBody,
  toSubmitEvent,
  toUpdateBody,
  type ItemFormValues,
} from '../../lib/item-form';
import { sendOrQueue } from '../../lib/offline-queue';
import { isSigningGrantRefusal, SIGNING_GRANT_HEADER } from '../../lib/signing-grant';
import { signingGrants } from '../../auth/signing-grant';
import { SignConfirmModal } from '../../components/signing/SignConfirmModal';
import { isIncompleteResidentId, residentIdMessage } from '../../lib/resident-id';

type Item = Schemas['ItemWithActionsResponse'];
type Campaign = Schemas['CampaignResponse'];

const EDITABLE_STATES = ['draft', 'returned'];

/** 登记问题 (/items/new) and 修改问题 (/items/:id/edit). */
export function ItemFormPage() {
  const { id } = useParams();
  const { hasRole } = useAuth();
  const navigate = useNavigate();
  const item = useQuery({
    queryKey: ['item', id],
    queryFn: () => ok(api.GET('/api/items/{id}', { params: { path: { id: id! } } })) as Promise<Item>,
    enabled: !!id,
  });

  if (!id && !hasRole('investigator', 'department_staff')) {
    return (
      <Result
        status="403"
        title="只有排查人员（村、乡镇排查人或县直部门）可以登记问题"
        extra={<Button onClick={() => navigate('/items')}>返回问题台账</Button>}
      />
    );
  }
  if (id) {
    if (item.error) {
      const notFound = item.error instanceof ApiError && (item.error.status === 404 || item.error.status === 400);
      return (
        <Result
          status={notFound ? '404' : 'error'}
          title={notFound ? '问题不存在或不在您的权限范围内' : messageOf(item.error)}
          extra={<Button onClick={() => navigate('/items')}>返回问题台账</Button>}
        />
      );
    }
    if (!item.data) return <Card loading />;
    if (!EDITABLE_STATES.includes(item.data.state) && !item.data.availableActions.includes('EDIT')) {
      return (
        <Result
          status="warning"
          title={`问题 #${item.data.number} 当前${item.data.stateLabel}，不能修改`}
          subTitle="只有草稿和被退回的问题可以由排查人修改"
          extra={<Button onClick={() => navigate(`/items/${id}`)}>查看问题详情</Button>}
        />
      );
    }
    return <ItemForm key={item.data.id} item={item.data} />;
  }
  return <ItemForm />;
}

function ItemForm({ item }: { item?: Item }) {
  const editing = !!item;
  const { me } = useAuth();
  const { message, notification } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [form] = Form.useForm<ItemFormValues>();
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [formError, setFormError] = useState<string[]>([]);
  /** The values being submitted while the signing dialog is open. */
  const [confirming, setConfirming] = useState<ItemFormValues | null>(null);

  const campaigns = useCampaigns();
  const [currentCampaignId] = useCurrentCampaignId();

  const openCampaigns = (campaigns.data ?? []).filter((c) => c.state === 'running' || c.id === item?.campaignId);
  const defaultCampaignId = item?.campaignId ?? (openCampaigns.some((c) => c.id === currentCampaignId) ? currentCampaignId : openCampaigns[0]?.id);
  const campaignId = Form.useWatch('campaignId', form) ?? defaultCampaignId;
  const campaign = useQuery({
    queryKey: ['campaign', campaignId],
    queryFn: () => ok(api.GET('/api/campaigns/{id}', { params: { path: { id: campaignId! } } })) as Promise<Campaign>,
    enabled: !!campaignId,
    staleTime: 60_000,
  });

  // Where the server lets the caller record in this campaign (行业排查: every village of the county).
  const places = useQuery({
    queryKey: ['recording-units', campaignId ?? null],
    queryFn: () => ok(api.GET('/api/directory/recording-units', { params: { query: campaignId ? { campaignId } : {} } })),
    staleTime: 5 * 60_000,
  });
  const orgTree = useMemo(() => orgUnitTree(places.data ?? [], me?.orgUnit.id), [places.data, me]);
  const orgUnitId = Form.useWatch('orgUnitId', form);
  const placeKind = (places.data ?? []).find((u) => u.id === (orgUnitId ?? item?.orgUnit.id))?.kind ?? item?.orgUnit.kind;
  const sectorCodes = useMemo(
    () =>
      me && campaign.data
        ? sectorTypeCodes(campaign.data.problemTypes, campaign.data.sectors, { orgUnitId: me.orgUnit.id, orgUnitKind: me.orgUnit.kind }, placeKind)
        : null,
    [me, campaign.data, placeKind],
  );
  const typeTree = useMemo(() => limitedProblemTypeTree(campaign.data?.problemTypes ?? [], sectorCodes), [campaign.data, sectorCodes]);
  const fixedOnSite = Form.useWatch('fixedOnSite', form);
  const typeCode = Form.useWatch('problemTypeCode', form);
  const typeInfo = findProblemType(campaign.data?.problemTypes ?? [], typeCode);
  const closedReason = campaign.data && !editing ? recordingClosedReason(campaign.data) : null;
  const maskedId = item?.household?.idNumberMasked ? item.household.idNumber : null;
  const clearIdNumber = Form.useWatch('clearIdNumber', form);
  // A returned item is edited against the reviewer's reason: show it here, not only in the chain.
  const chain = useQuery({
    queryKey: ['signatures', item?.id],
    queryFn: () => ok(api.GET('/api/items/{id}/signatures', { params: { path: { id: item!.id } } })),
    enabled: item?.state === 'returned',
  });
  const lastReturn = chain.data?.filter((sig) => sig.stateAfter === 'returned').pop();
  const returnReason = lastReturn && typeof lastReturn.payload.reason === 'string' ? lastReturn.payload.reason : null;

  if (campaigns.isLoading || (places.isLoading && !places.data)) return <Card loading />;
  if (!editing && openCampaigns.length === 0) {
    return <Result status="info" title="目前没有进行中的专项行动" subTitle="专项行动启动后才能登记问题" />;
  }

  const initialValues: ItemFormValues = item
    ? itemToFormValues(item)
    : { campaignId: defaultCampaignId, orgUnitId: onlyOrgUnit(orgTree), fixedOnSite: false, clearIdNumber: false };

  const afterWrite = (saved: Item) => {
    queryClient.setQueryData(['item', saved.id], saved);
    for (const k of [['inbox'], ['items'], ['notifications'], ['signatures', saved.id]]) void queryClient.invalidateQueries({ queryKey: k });
  };

  /** Field errors beside their fields; anything else above the buttons. */
  const showError = (err: unknown) => {
    if (err instanceof ApiError && err.details.length) {
      const { fields, other } = placeServerErrors(err.details);
      form.setFields(fields);
      setFormError(other.length ? [err.message, ...other] : fields.length ? [] : [err.message]);
      if (fields.length) form.scrollToField(fields[0].name, { block: 'center' });
      message.error(err.message);
    } else {
      setFormError([messageOf(err)]);
      message.error(messageOf(err));
    }
  };

  /** Saves the draft; returns the item, or 'queued' when it was kept on the device, or undefined on error. */
  const save = async (v: ItemFormValues): Promise<Item | 'queued' | undefined> => {
    try {
      if (item) {
        const saved = (await ok(
          api.PATCH('/api/items/{id}', {
            params: { path: { id: item.id }, header: { 'Idempotency-Key': newIdempotencyKey() } },
            body: toUpdateBody(v) as Schemas['UpdateItemDto'],
          }),
        )) as Item;
        afterWrite(saved);
        return saved;
      }
      const sent = await sendOrQueue({ label: outboxLabel(v), method: 'POST', path: '/api/items', body: { ...toCreateBody(v) } });
      if (sent.queued) return 'queued';
      let created = sent.data as Item;
      warnDuplicates((sent.data as Schemas['CreatedItemResponse']).duplicates);
      // POST /api/items takes no measures: what was done on the spot goes onto the new draft.
      if (v.fixedOnSite && v.measures?.trim()) {
        created = (await ok(
          api.PATCH('/api/items/{id}', {
            params: { path: { id: created.id }, header: { 'Idempotency-Key': newIdempotencyKey() } },
            body: { measures: v.measures.trim() },
          }),
        )) as Item;
      }
      afterWrite(created);
      return created;
    } catch (err) {
      showError(err);
      return undefined;
    }
  };

  /** The same household's open items of the same type: recorded anyway, for the reviewer to judge (疑似重复). */
  const warnDuplicates = (duplicates: Schemas['CreatedItemResponse']['duplicates'] | undefined) => {
    if (!duplicates?.length) return;
    notification.warning({
      message: '疑似重复登记',
      description: (
        <span>
          该户在本专项行动中已有同类未销号问题：
          {duplicates.map((d) => (
            <span key={d.id}>
              <br />#{d.number} {d.stateLabel} · {d.orgUnitName ?? ''} · {d.description}
            </span>
          ))}
          <br />
          本条仍已登记，审核人会看到“疑似重复”标记。
        </span>
      ),
      duration: 10,
    });
  };

  const queuedNotice = (v: ItemFormValues) => {
    const next = v.fixedOnSite ? '发送后请在草稿中补填立行立改的整改措施，再提交签字' : '发送后可在问题台账的草稿中提交签字';
    message.success({
      content: (
        <span>
          已保存在本机，联网后自动发送
          <br />
          <Typography.Text type="secondary">{next}</Typography.Text>
        </span>
      ),
      duration: 6,
    });
    form.resetFields();
    setFormError([]);
    window.scrollTo({ top: 0 });
  };

  const onSaveDraft = async () => {
    setFormError([]);
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy('draft');
    const saved = await save(v);
    setBusy(null);
    if (saved === 'queued') return queuedNotice(v);
    if (!saved) return;
    message.success(`已保存草稿（问题 #${saved.number}）`);
    navigate(`/items/${saved.id}`, { replace: true });
  };

  const submit = async (v: ItemFormValues, grant: string | undefined) => {
    setBusy('submit');
    const saved = await save(v);
    if (saved === 'queued') {
      setBusy(null);
      return queuedNotice(v);
    }
    if (!saved) return setBusy(null);
    try {
      const submitted = (await ok(
        api.POST('/api/items/{id}/events', {
          params: { path: { id: saved.id }, header: { 'Idempotency-Key': newIdempotencyKey(), ...(grant ? { [SIGNING_GRANT_HEADER]: grant } : {}) } },
          body: toSubmitEvent(v),
        }),
      )) as Item;
      afterWrite(submitted);
      message.success(`问题 #${submitted.number} 已提交，等待审核`);
      navigate(`/items/${submitted.id}`, { replace: true });
    } catch (err) {
      // The grant ran out meanwhile: the next 提交 asks for the password again.
      if (isSigningGrantRefusal(err)) signingGrants.drop();
      showError(err);
      // The draft exists now: stay on it, so trying again does not record it twice.
      if (!item) navigate(`/items/${saved.id}/edit`, { replace: true });
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = async () => {
    setFormError([]);
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setConfirming(v);
  };

  const size = phone ? 'large' : 'middle';
  return (
    <Card
      size={phone ? 'small' : 'default'}
      style={{ maxWidth: 820 }}
      title={
        <Flex align="center" gap={4}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate(-1)} style={{ marginInlineStart: -8 }} />
          {item ? `修改问题 #${item.number}` : '登记问题'}
        </Flex>
      }
    >
      {item?.state === 'returned' ? (
        <Alert
          type="warning"
          showIcon
          title="该问题已被退回，请按退回意见修改后重新提交"
          description={
            lastReturn ? `${lastReturn.signer.name}${lastReturn.kindLabel}${returnReason ? `：${returnReason}` : ''}` : '退回意见见问题详情中的签字链'
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {closedReason ? <Alert type="warning" showIcon title={closedReason} style={{ marginBottom: 16 }} /> : null}
      <Form<ItemFormValues>
        form={form}
        layout="vertical"
        size={size}
        initialValues={initialValues}
        requiredMark
        scrollToFirstError={{ block: 'center' }}
        onValuesChange={(changed) => {
          if ('campaignId' in changed) form.setFieldValue('problemTypeCode', undefined);
          // 行业排查: a type of the department's own sector only for a village; moving there drops any other type.
          if ('orgUnitId' in changed && me?.orgUnit.kind === 'department') form.setFieldValue('problemTypeCode', undefined);
        }}
      >
        <Form.Item name="clearIdNumber" hidden>
          <Input />
        </Form.Item>
        <Form.Item name="campaignId" label="专项行动" rules={[{ required: true, message: '请选择专项行动' }]}>
          <Select disabled={editing} options={openCampaigns.map((c) => ({ value: c.id, label: c.title }))} placeholder="选择专项行动" />
        </Form.Item>
        <Form.Item
          name="orgUnitId"
          label="所在村（乡镇、部门）"
          rules={[{ required: true, message: '请选择问题所在的行政村、乡镇或部门' }]}
          extra={!editing && orgTree.length === 0 ? '您的账号没有可登记问题的单位，请联系管理员' : undefined}
        >
          <TreeSelect disabled={editing} treeData={orgTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} placeholder="选择行政村或乡镇" />
        </Form.Item>
        <Form.Item
          name="problemTypeCode"
          label="问题类型"
          rules={[{ required: true, message: '请选择问题类型' }]}
          extra={
            sectorCodes && sectorCodes.size === 0 ? (
              '本部门在该专项行动中没有行业分工，行业排查的问题无法登记到村；本部门自身的问题请选择本部门'
            ) : typeInfo?.description ? (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true, symbol: '展开' }} style={{ marginBottom: 0 }}>
                {typeInfo.description}
              </Typography.Paragraph>
            ) : undefined
          }
        >
          <TreeSelect
            treeData={typeTree}
            treeDefaultExpandAll
            loading={campaign.isLoading}
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder={sectorCodes ? '本部门行业分工内的问题类型' : '按专项行动方案选择问题类型'}
            popupMatchSelectWidth={phone ? true : 480}
          />
        </Form.Item>
        <Flex gap={phone ? 0 : 16} vertical={phone}>
          <Form.Item
            name="householdName"
            label="户主姓名"
            style={{ flex: 1 }}
            extra="村级、乡镇级问题可不填"
            rules={[{ max: 64, message: '户主姓名不能超过64个字' }]}
          >
            <Input autoComplete="off" placeholder="户主姓名" />
          </Form.Item>
          <Form.Item
            name="householdIdNumber"
            label="身份证号码"
            style={{ flex: 1 }}
            validateTrigger={['onChange', 'onBlur']}
            normalize={(v: string | undefined) => (v ?? '').replace(/\s+/g, '').toUpperCase()}
            rules={[
              {
                validateTrigger: 'onChange',
                validator: (_, v: string | undefined) => {
                  const msg = v && !isIncompleteResidentId(v) ? residentIdMessage(v) : null;
                  return msg ? Promise.reject(new Error(msg)) : Promise.resolve();
                },
              },
              {
                validateTrigger: 'onBlur',
                validator: (_, v: string | undefined) => {
                  const msg = v ? residentIdMessage(v) : null;
                  return msg ? Promise.reject(new Error(msg)) : Promise.resolve();
                },
              },
            ]}
            extra={
              maskedId ? (
                clearIdNumber ? (
                  <span>
                    保存后将删除已登记的号码。
                    <Button type="link" size="small" onClick={() => form.setFieldValue('clearIdNumber', false)}>
                      撤销
                    </Button>
                  </span>
                ) : (
                  <span>
                    已登记 {maskedId}，不修改请留空。
                    <Button type="link" size="small" onClick={() => form.setFieldsValue({ clearIdNumber: true, householdIdNumber: '' })}>
                      删除已登记的号码
                    </Button>
                  </span>
                )
              ) : (
                '18位，末位可以是X；录入时即校验'
              )
            }
          >
            <Input
              inputMode="text"
              autoComplete="off"
              maxLength={18}
              showCount
              placeholder={maskedId ? `已登记 ${maskedId}` : '18位身份证号码'}
              style={{ fontFamily: 'monospace' }}
              onChange={() => clearIdNumber && form.setFieldValue('clearIdNumber', false)}
            />
          </Form.Item>
        </Flex>
        <Form.Item
          name="description"
          label="具体问题"
          rules={[
            { required: true, whitespace: true, message: '请填写具体问题' },
            { max: 4000, message: '具体问题不能超过4000字' },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={4000} showCount placeholder="入户排查发现的具体问题" />
        </Form.Item>
        <Form.Item name="remark" label="备注" rules={[{ max: 2000, message: '备注不能超过2000字' }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={2000} placeholder="选填" />
        </Form.Item>
        <Form.Item name="fixedOnSite" label="立行立改" valuePropName="checked" extra="已当场整改到位的问题：提交后经审核直接进入待验收">
          <Switch checkedChildren="是" unCheckedChildren="否" />
        </Form.Item>
        {fixedOnSite ? (
          <Form.Item
            name="measures"
            label="整改措施"
            rules={[
              { required: true, whitespace: true, message: '立行立改的问题请填写已采取的整改措施' },
              { max: 4000, message: '整改措施不能超过4000字' },
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} showCount placeholder="当场做了什么" />
          </Form.Item>
        ) : null}
        {formError.length ? (
          <Alert type="error" showIcon title={formError[0]} description={formError.slice(1).join('；') || undefined} style={{ marginBottom: 16 }} />
        ) : null}
        <Flex gap={8} vertical={phone} justify="flex-end">
          {!phone ? (
            <Button onClick={() => navigate(-1)} disabled={!!busy}>
              取消
            </Button>
          ) : null}
          <Button onClick={onSaveDraft} loading={busy === 'draft'} disabled={!!busy || !!closedReason} block={phone}>
            保存草稿
          </Button>
          <Button type="primary" onClick={onSubmit} loading={busy === 'submit'} disabled={!!busy || !!closedReason} block={phone}>
            提交（排查签字）
          </Button>
        </Flex>
      </Form>
      <SignConfirmModal
        open={confirming !== null}
        title="提交并排查签字"
        okText="提交签字"
        cancelText="再看看"
        // Offline the draft is kept on the device and nothing is signed yet: no password to check.
        signs={typeof navigator === 'undefined' || navigator.onLine !== false}
        description={
          <Typography.Paragraph>
            {confirming?.fixedOnSite
              ? '提交后以您的名义签字，确认该问题已立行立改，交乡镇审核验收。签字写入签字链，不可修改。'
              : '提交后以您的名义签字，问题交乡镇分管负责人审核。签字写入签字链，不可修改；审核前可以撤回。'}
          </Typography.Paragraph>
        }
        onCancel={() => setConfirming(null)}
        onSign={async (_key, _comment, grant) => {
          const v = confirming;
          if (!v) return;
          await submit(v, grant);
          setConfirming(null);
        }}
      />
    </Card>
  );
}
