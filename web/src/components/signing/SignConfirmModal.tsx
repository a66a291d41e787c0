import { Alert, Form, Input, Modal } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { SigningPasswordItem, useSigningStep } from './SigningPassword';

interface Props {
  open: boolean;
  title: string;
  /** What is being signed, shown above the signing notice. */
  description?: ReactNode;
  okText: string;
  cancelText?: string;
  /** Offer a 签字意见 field. */
  withComment?: boolean;
  /** Whether confirming signs now (default): it then asks for the password unless a signing grant is held. */
  signs?: boolean;
  onCancel: () => void;
  /**
   * Sends the signed request with `grant` (X-Signing-Grant; undefined when
   * `signs` is false); the key stays the same for every retry of this one dialog.
   */
  onSign: (idempotencyKey: string, comment: string | undefined, grant: string | undefined) => Promise<unknown>;
}

/**
 * Confirms a signature ("此操作将以您的名义签字"): asks for the password
 * (step-up signing) when the page holds no signing grant, and shows the
 * server's refusal in place.
 */
export function SignConfirmModal({ open, title, description, okText, cancelText = '取消', withComment, signs = true, onCancel, onSign }: Props) {
  const [form] = Form.useForm();
  const signing = useSigningStep(form, signs);
  const [key, setKey] = useState(newIdempotencyKey);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      setKey(newIdempotencyKey());
      setComment('');
      setError(null);
      signing.reset();
    }
    // signing.reset only reads the grant held when the dialog opens
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  const sign = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const grant = signs ? await signing.grant() : undefined;
      if (grant === null) return;
      await onSign(key, comment.trim() || undefined, grant);
    } catch (err) {
      if (!signing.refused(err)) setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={cancelText}
      confirmLoading={busy}
      onOk={() => void sign()}
      onCancel={onCancel}
      destroyOnHidden
      mask={{ closable: false }}
      okButtonProps={{ autoInsertSpace: false }}
      cancelButtonProps={{ autoInsertSpace: false, disabled: busy }}
    >
      {description}
      <Alert type="warning" showIcon title="此操作将以您的名义签字" style={{ marginBlock: 12 }} />
      <Form form={form} layout="vertical" disabled={busy} onFinish={() => void sign()}>
        {withComment && (
          <Form.Item label="签字意见（可选）" htmlFor="sign-comment">
            <Input.TextArea
              id="sign-comment"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={2000}
              autoSize={{ minRows: 2, maxRows: 6 }}
            />
          </Form.Item>
        )}
        {signing.asking && <SigningPasswordItem note={signing.note} />}
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}
