import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Descriptions, Flex, Form, List, Modal, Result, Table, Tag, Typography, Upload, type UploadFile } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { authFetch, newIdempotencyKey } from '../../../api/client';
import { ApiError, messageOf, toApiError } from '../../../lib/api-error';
import { SIGNING_GRANT_HEADER } from '../../../lib/signing-grant';
import { SigningPasswordItem, useSigningStep } from '../../../components/signing/SigningPassword';
import { ItemStateTag } from './ItemStateTag';
import type { LedgerImportResult, MatchedRow, LedgerRowError as RowError } from './types';

type Outcome =
  | { kind: 'accepted'; result: LedgerImportResult }
  | { kind: 'rejected'; message: string; errors: RowError[]; errorCount: number }
  | { kind: 'failed'; message: string };

/** The row errors of a refused import (400 VALIDATION_FAILED carries `errors` and `errorCount` beside the usual fields). */
function rowErrorsOf(err: ApiError): { errors: RowError[]; errorCount: number } {
  const raw = Array.isArray(err.body.errors) ? (err.body.errors as RowError[]) : [];
  const errors = raw.filter((e) => e && typeof e.row === 'number');
  const errorCount = typeof err.body.errorCount === 'number' ? err.body.errorCount : errors.length;
  return { errors, errorCount };
}

/**
 * 导入台账: uploads a filled-in ledger (.xlsx). All rows or none: a refused file
 * lists each bad cell; an accepted one lists the problems it created.
 */
export function ImportLedgerModal({ campaignId, open, onClose, phone }: { campaignId: string; open: boolean; onClose: () => void; phone: boolean }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [submit, setSubmit] = useState(false);
  // Submitting signs every row (排查签字): the password is asked for unless a signing grant is held.
  const [passwordForm] = Form.useForm();
  const signing = useSigningStep(passwordForm, submit);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // One key per upload attempt, kept only across network failures so a resend is not imported twice.
  const key = useRef<string | null>(null);

  const reset = () => {
    setFile(null);
    setSubmit(false);
    setOutcome(null);
    key.current = null;
  };
  const close = () => {
    if (busy) return;
    onClose();
    reset();
  };

  const upload = async () => {
    const blob = file?.originFileObj;
    if (!blob) return;
    key.current ??= newIdempotencyKey();
    const form = new FormData();
    form.append('file', blob, file.name);
    if (submit) form.append('submit', 'true');
    if (submit && signing.asking) {
      try {
        await passwordForm.validateFields();
      } catch {
        return;
      }
    }
    setBusy(true);
    try {
      const grant = submit ? await signing.grant() : undefined;
      if (grant === null) return;
      const headers: Record<string, string> = { 'Idempotency-Key': key.current };
      if (grant) headers[SIGNING_GRANT_HEADER] = grant;
      const res = await authFetch(
        new Request(`/api/campaigns/${encodeURIComponent(campaignId)}/ledger`, {
          method: 'POST',
          body: form,
          headers,
        }),
      );
      const body: unknown = await res.json().catch(() => null);
      key.current = null;
      if (!res.ok) throw toApiError(res.status, body);
      const result = body as LedgerImportResult;
      setOutcome({ kind: 'accepted', result });
      if (result.created > 0) {
        void queryClient.invalidateQueries({ queryKey: ['items'] });
        void queryClient.invalidateQueries({ queryKey: ['inbox'] });
        void queryClient.invalidateQueries({ queryKey: ['stats'] });
      }
    } catch (err) {
      if (signing.refused(err)) return;
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED' && Array.isArray(err.body.errors)) {
        setOutcome({ kind: 'rejected', message: err.message, ...rowErrorsOf(err) });
      } else {
        setOutcome({ kind: 'failed', message: messageOf(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  const picking = outcome?.kind !== 'accepted';

  return (
    <Modal
      open={open}
      title="导入问题台账"
      onCancel={close}
      width={phone ? undefined : 720}
      style={phone ? { top: 8 } : undefined}
      destroyOnHidden
      mask={{ closable: !busy }}
      footer={
        picking ? (
          <Flex gap={8} justify="end" vertical={phone}>
            {!phone && <Button onClick={close}>取消</Button>}
            <Button type="primary" size={phone ? 'large' : 'middle'} block={phone} loading={busy} disabled={!file} onClick={() => void upload()}>
              {outcome ? '重新导入' : '导入'}
            </Button>
          </Flex>
        ) : (
          <Flex gap={8} justify="end" vertical={phone}>
            <Button size={phone ? 'large' : 'middle'} block={phone} onClick={reset}>
              继续导入
            </Button>
            <Button type="primary" size={phone ? 'large' : 'middle'} block={phone} onClick={close}>
              完成
            </Button>
          </Flex>
        )
      }
    >
      {picking && (
        <Flex vertical gap={12}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            请使用「下载模板」得到的台账格式（.xlsx），也可导入乡镇自己填写的台账（可每个行政村一个工作表）或导出的台账。全部行校验通过才会导入，任何一行有误则整份不导入；带问题编号的行和已导入过的行不再新建，下面列出它们对应的问题。
          </Typography.Paragraph>
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            fileList={file ? [file] : []}
            beforeUpload={() => false}
            onChange={({ fileList }) => {
              setFile(fileList[fileList.length - 1] ?? null);
              setOutcome(null);
              key.current = null;
            }}
            disabled={busy}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或拖入台账文件（.xlsx）</p>
          </Upload.Dragger>
          <Checkbox
            checked={submit}
            disabled={busy}
            onChange={(e) => {
              setSubmit(e.target.checked);
              if (e.target.checked) signing.reset();
              key.current = null;
            }}
          >
            导入后直接提交（排查签字）
          </Checkbox>
          {submit && signing.asking && (
            <Form form={passwordForm} layout="vertical" disabled={busy} onFinish={() => void upload()}>
              <SigningPasswordItem phone={phone} note={signing.note} />
            </Form>
          )}
          {outcome?.kind === 'failed' && <Alert type="error" showIcon title={outcome.message} />}
          {outcome?.kind === 'rejected' && (
            <>
              <Alert
                type="error"
                showIcon
                title={outcome.message}
                description={
                  outcome.errorCount > outcome.errors.length ? `共 ${outcome.errorCount} 处错误，下面列出前 ${outcome.errors.length} 处。` : undefined
                }
              />
              <Table<RowError>
                data-testid="import-errors"
                size="small"
                rowKey={(e) => `${e.sheet}-${e.row}-${e.column}-${e.message}`}
                columns={[
                  ...(new Set(outcome.errors.map((e) => e.sheet)).size > 1 ? [{ title: '工作表', dataIndex: 'sheet', width: 96 }] : []),
                  { title: '行', dataIndex: 'row', width: 56 },
                  { title: '列', dataIndex: 'column', width: 110 },
                  { title: '错误', dataIndex: 'message' },
                ]}
                dataSource={outcome.errors}
                pagination={outcome.errors.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
                scroll={{ x: 'max-content' }}
              />
            </>
          )}
        </Flex>
      )}
      {outcome?.kind === 'accepted' && <ImportSummary result={outcome.result} />}
    </Modal>
  );
}

/** 第 N 行, with the sheet when the ledger has several. */
function rowLabel(several: boolean, r: { sheet: string; row: number }): string {
  return several ? `「${r.sheet}」第 ${r.row} 行` : `第 ${r.row} 行`;
}

const MATCHED_BY_LABEL: Record<MatchedRow['by'], string> = { number: '按问题编号', content: '与已有问题相同' };

function ImportSummary({ result }: { result: LedgerImportResult }) {
  const title = result.created ? `已导入 ${result.created} 个问题` : '没有新的问题';
  const several = result.sheets.length > 1;
  return (
    <>
      <Result
        status={result.created ? 'success' : 'info'}
        title={title}
        subTitle={result.created ? (result.submitted ? '已提交（排查签字），等待审核' : '已保存为草稿，请核对后提交') : '文件中的问题都已在系统中，没有新建'}
        style={{ padding: '16px 0' }}
      />
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'sheet', label: '工作表', children: result.sheets.join('、') },
          { key: 'rows', label: '问题行数', children: result.rows },
          { key: 'created', label: '新建', children: result.created },
          { key: 'matched', label: '已有的问题（未新建）', children: result.matched.length },
          { key: 'submitted', label: '已提交', children: result.submitted ? result.created : 0 },
        ]}
      />
      {result.items.length > 0 && (
        <List
          size="small"
          style={{ marginTop: 12, maxHeight: 260, overflowY: 'auto' }}
          header={<Typography.Text strong>新建的问题</Typography.Text>}
          dataSource={result.items}
          renderItem={(i) => (
            <List.Item
              extra={
                <Flex gap={4} align="center">
                  {i.duplicateOf.length > 0 && (
                    <Tag color="orange" title="同一户同一问题类型已有未销号的问题">
                      疑似重复：{i.duplicateOf.map((n) => `#${n}`).join('、')}
                    </Tag>
                  )}
                  <ItemStateTag state={i.state} />
                </Flex>
              }
            >
              <Link to={`/items/${i.id}`}>
                {rowLabel(several, i)} → 问题 #{i.number}
              </Link>
            </List.Item>
          )}
        />
      )}
      {result.matched.some((m) => m.edited) && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title="有的行在导出后修改过：导入不会修改已有的问题，请在问题详情中修改（已提交的问题须退回后修改）"
        />
      )}
      {result.matched.length > 0 && (
        <List
          data-testid="import-matched"
          size="small"
          style={{ marginTop: 12, maxHeight: 260, overflowY: 'auto' }}
          header={<Typography.Text strong>对应已有问题的行（未新建）</Typography.Text>}
          dataSource={result.matched}
          renderItem={(m) => (
            <List.Item
              extra={
                <Flex gap={4} align="center">
                  {m.edited && <Tag color="warning">台账已修改，问题未更新</Tag>}
                  <Typography.Text type="secondary">{MATCHED_BY_LABEL[m.by]}</Typography.Text>
                </Flex>
              }
            >
              <Link to={`/items/${m.id}`}>
                {rowLabel(several, m)} → 问题 #{m.number}
              </Link>
            </List.Item>
          )}
        />
      )}
    </>
  );
}
