import { Alert, Form, Input, Modal } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { messageOf } from '../../lib/api-error';

interface Props {
  open: boolean;
  title: string;
  /** What is being signed, shown above the signing notice. */
  description?: ReactNode;
  okText: string;
  /** Offer a 签字意见 field. */
  withComment?: boolean;
  onCancel: () => void;
  /** Sends the signed request; the key stays the same for every retry of this one dialog. */
  onSign: (idempotencyKey: string, comment: string | undefined) => Promise<unknown>;
}

/** Confirms a signature ("此操作将以您的名义签字") and shows the server's refusal in place. */
export function SignConfirmModal({ open, title, description, okText, withComment, onCancel, onSign }: Props) {
  const [key, setKey] = useState(newIdempotencyKey);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      setKey(newIdempotencyKey());
      setComment('');
      setError(null);
    }
  }, [open]);
  const sign = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSign(key, comment.trim() || undefined);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={title} okText={okText} cancelText="取消" confirmLoading={busy} onOk={() => void sign()} onCancel={onCancel} destroyOnHidden>
      {description}
      <Alert type="warning" showIcon title="此操作将以您的名义签字" style={{ marginBlock: 12 }} />
      {withComment && (
        <Form layout="vertical">
          <Form.Item label="签字意见（可选）" htmlFor="sign-comment">
            <Input.TextArea
              id="sign-comment"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={2000}
              autoSize={{ minRows: 2, maxRows: 6 }}
            />
          </Form.Item>
        </Form>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
