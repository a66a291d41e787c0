import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Steps,
  Typography,
  Grid,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useRef } from 'react';
import { useNavigate } from 'react-router';
import { api, newIdempotencyKey, ok } from '../../api/client';
import { fieldErrorsOf, messageOf } from '../../lib/api-error';
import {
  countProblemTypes,
  formatPhaseWindow,
  PHASE_KIND_LABELS,
  PHASE_KIND_OPTIONS,
  presetPhaseDates,
  toCreateCampaignPayload,
  toNamePath,
  validateCampaignForm,
  type CampaignFormValues,
  type FormFieldError,
} from '../../lib/campaign-form';
import { ProblemTypeTree } from './ProblemTypeTree';
import { usePresets, type CampaignPreset } from './queries';

/** DatePicker works on dayjs; the form keeps `YYYY-MM-DD` strings. */
const dateProps = {
  getValueProps: (v?: string | null) => ({ value: v ? dayjs(v) : null }),
  normalize: (d?: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

function PresetPreview({ preset, year }: { preset: CampaignPreset; year: number }) {
  const phases = presetPhaseDates(preset.phases, year);
  return (
    <Card size="small" title={preset.name} style={{ marginBottom: 16 }}>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'doc', label: '依据', children: preset.sourceDocument },
          { key: 'county', label: '地区', children: preset.township ? `${preset.county} ${preset.township}` : preset.county },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        阶段计划
      </Typography.Title>
      <Steps
        size="small"
        orientation="vertical"
        current={-1}
        items={phases.map((p) => ({ title: p.name, content: `${PHASE_KIND_LABELS[p.kind]} · ${formatPhaseWindow(p.startDate, p.endDate)}` }))}
      />
      <Typography.Title level={5}>问题类型（{countProblemTypes(preset.problemTypes)} 项）</Typography.Title>
      <ProblemTypeTree types={preset.problemTypes} height={260} />
    </Card>
  );
}

/** 新建专项行动: from a shipped preset (phases and problem types shown) or a custom plan. */
/** `township`: the caller is a township leader, and the campaign becomes their township's own. */
export function CreateCampaignDrawer({ open, onClose, township }: { open: boolean; onClose: () => void; township?: string }) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [form] = Form.useForm<CampaignFormValues>();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const presets = usePresets(open);
  const idempotencyKey = useRef(newIdempotencyKey());
  const mode = Form.useWatch('mode', form) ?? 'preset';
  // preserve: the preset stays chosen (and offered as a draft) while the custom plan is shown.
  const presetKey = Form.useWatch('preset', { form, preserve: true });
  const year = Form.useWatch('year', { form, preserve: true });
  const preset = useMemo(() => presets.data?.find((p) => p.key === presetKey), [presets.data, presetKey]);

  // Form name paths are typed by the values; these come from the server or the list rows.
  const showErrors = (errors: FormFieldError[]) => {
    form.setFields(errors.map((e) => ({ name: e.name, errors: [e.message] })) as Parameters<typeof form.setFields>[0]);
    if (errors[0]) form.scrollToField(errors[0].name as Parameters<typeof form.scrollToField>[0], { block: 'center' });
  };

  const create = useMutation({
    mutationFn: (values: CampaignFormValues) =>
      ok(
        api.POST('/api/campaigns', {
          params: { header: { 'Idempotency-Key': idempotencyKey.current } },
          body: toCreateCampaignPayload(values),
        }),
      ),
    onSuccess: (campaign) => {
      message.success('专项行动已新建');
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      idempotencyKey.current = newIdempotencyKey();
      form.resetFields();
      onClose();
      navigate(`/campaigns/${campaign.id}`);
    },
    onError: (err) => {
      const fields = fieldErrorsOf(err);
      const names = Object.keys(fields);
      showErrors(names.map((f) => ({ name: toNamePath(f), message: fields[f] })));
      message.error(messageOf(err));
    },
  });

  const submit = (values: CampaignFormValues) => {
    const errors = validateCampaignForm(values);
    if (errors.length) {
      showErrors(errors);
      const listLevel = errors.find((e) => e.name.length === 1 && (e.name[0] === 'phases' || e.name[0] === 'problemTypes'));
      if (listLevel) message.error(listLevel.message);
      return;
    }
    create.mutate(values);
  };

  const fillFromPreset = () => {
    if (!preset) return;
    form.setFieldsValue({
      phases: presetPhaseDates(preset.phases, year ?? dayjs().year()),
      problemTypes: preset.problemTypes.map((t) => ({ code: t.code, name: t.name })),
    });
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={township ? `新建${township}的专项行动` : '新建专项行动'}
      size={phone ? '100%' : 720}
      destroyOnHidden
      footer={
        <Flex gap={8} justify="flex-end" vertical={phone}>
          {!phone && <Button onClick={onClose}>取消</Button>}
          <Button
            type="primary"
            size={phone ? 'large' : 'middle'}
            block={phone}
            autoInsertSpace={false}
            loading={create.isPending}
            onClick={() => form.submit()}
          >
            新建
          </Button>
        </Flex>
      }
    >
      <Form<CampaignFormValues>
        form={form}
        layout="vertical"
        size={phone ? 'large' : 'middle'}
        initialValues={{ mode: 'preset', preset: township ? 'ganchahe' : 'huoqiu', year: dayjs().year(), phases: [{}], problemTypes: [{}] }}
        onFinish={submit}
        onValuesChange={(changed: Partial<CampaignFormValues>) => {
          // A preset suggests its own title and 文号 until the user writes one.
          if (changed.preset && presets.data) {
            const p = presets.data.find((x) => x.key === changed.preset);
            if (p && !form.isFieldTouched('title')) form.setFieldValue('title', p.name);
          }
        }}
      >
        {township && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`这是${township}自己的专项行动`}
            description={`只登记${township}的问题；由您签字启动、推进各阶段和归档；县巩固办可以查看，其他乡镇看不到。`}
          />
        )}
        <Form.Item name="title" label="专项行动名称" rules={[{ required: true, whitespace: true, message: '请填写专项行动名称' }, { max: 200 }]}>
          <Input placeholder="如：巩固拓展脱贫攻坚成果集中排查" />
        </Form.Item>
        <Form.Item name="docNumber" label="文号" rules={[{ required: true, whitespace: true, message: '请填写文号' }, { max: 100 }]}>
          <Input placeholder="如：霍扶组〔2021〕5号" />
        </Form.Item>
        <Form.Item name="mode" label="方案">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'preset', label: '按内置方案' },
              { value: 'custom', label: '自定义方案' },
            ]}
          />
        </Form.Item>

        {mode === 'preset' ? (
          <>
            <Flex gap={12} wrap>
              <Form.Item name="preset" label="内置方案" style={{ flex: '1 1 260px' }} rules={[{ required: true, message: '请选择内置方案' }]}>
                <Select
                  loading={presets.isLoading}
                  options={(presets.data ?? []).map((p) => ({ value: p.key, label: `${p.township ?? p.county}：${p.name}` }))}
                />
              </Form.Item>
              <Form.Item name="year" label="年度" tooltip="方案中各阶段的月日落在这一年" style={{ flex: '0 0 140px' }}>
                <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Flex>
            {presets.isError && <Alert type="error" showIcon title={messageOf(presets.error)} />}
            {preset && <PresetPreview preset={preset} year={year ?? dayjs().year()} />}
          </>
        ) : (
          <>
            {preset && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                title={`可以先用「${preset.name}」的阶段与问题类型作底稿，再修改。`}
                action={
                  <Button size="small" onClick={fillFromPreset}>
                    填入
                  </Button>
                }
              />
            )}
            <Typography.Title level={5}>阶段计划</Typography.Title>
            <Form.List name="phases">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, i) => (
                    <Card
                      key={field.key}
                      size="small"
                      style={{ marginBottom: 12 }}
                      title={`第 ${i + 1} 阶段`}
                      extra={
                        fields.length > 1 && (
                          <Button type="text" danger icon={<DeleteOutlined />} aria-label={`删除第 ${i + 1} 阶段`} onClick={() => remove(field.name)} />
                        )
                      }
                    >
                      <Flex gap={12} wrap>
                        <Form.Item
                          name={[field.name, 'kind']}
                          label="阶段类型"
                          style={{ flex: '1 1 140px' }}
                          rules={[{ required: true, message: '请选择阶段类型' }]}
                        >
                          <Select options={PHASE_KIND_OPTIONS} placeholder="选择" />
                        </Form.Item>
                        <Form.Item
                          name={[field.name, 'name']}
                          label="阶段名称"
                          style={{ flex: '2 1 200px' }}
                          rules={[{ required: true, whitespace: true, message: '请填写阶段名称' }, { max: 50 }]}
                        >
                          <Input placeholder="如：实地排查" />
                        </Form.Item>
                      </Flex>
                      <Flex gap={12} wrap>
                        <Form.Item name={[field.name, 'startDate']} label="开始日期" style={{ flex: '1 1 140px', marginBottom: 0 }} {...dateProps}>
                          <DatePicker style={{ width: '100%' }} inputReadOnly={phone} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'endDate']} label="结束日期" style={{ flex: '1 1 140px', marginBottom: 0 }} {...dateProps}>
                          <DatePicker style={{ width: '100%' }} inputReadOnly={phone} />
                        </Form.Item>
                      </Flex>
                    </Card>
                  ))}
                  <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 24 }}>
                    添加阶段
                  </Button>
                </>
              )}
            </Form.List>

            <Typography.Title level={5}>问题类型</Typography.Title>
            <Form.List name="problemTypes">
              {(fields, { add, remove }) => (
                <>
                  {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无问题类型" />}
                  {fields.map((field, i) => (
                    <Flex key={field.key} gap={8} align="flex-start">
                      <Form.Item
                        name={[field.name, 'code']}
                        style={{ flex: '0 1 140px' }}
                        rules={[
                          { required: true, whitespace: true, message: '请填写编码' },
                          { pattern: /^[A-Za-z0-9._-]{1,32}$/, message: '字母、数字、点、横线或下划线' },
                        ]}
                      >
                        <Input placeholder="编码，如 A-1" aria-label={`第 ${i + 1} 个问题类型的编码`} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'name']}
                        style={{ flex: 1, minWidth: 0 }}
                        rules={[{ required: true, whitespace: true, message: '请填写名称' }, { max: 100 }]}
                      >
                        <Input placeholder="名称，如 住房安全" aria-label={`第 ${i + 1} 个问题类型的名称`} />
                      </Form.Item>
                      <Button type="text" danger icon={<DeleteOutlined />} aria-label={`删除第 ${i + 1} 个问题类型`} onClick={() => remove(field.name)} />
                    </Flex>
                  ))}
                  <Space>
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                      添加问题类型
                    </Button>
                  </Space>
                </>
              )}
            </Form.List>
          </>
        )}
      </Form>
    </Drawer>
  );
}
