import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Flex, Space, Typography } from 'antd';
import { useAuth } from '../../auth/AuthProvider';
import { recoveryCodesFileName, recoveryCodesText } from '../../lib/totp';

/** Copies text; over plain http (no Clipboard API) through a hidden textarea. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Recovery codes, shown this once (the server keeps only their hashes): copy
 * or download them, then carry on.
 */
export function RecoveryCodes({ codes, doneText = '我已保存恢复码', onDone }: { codes: string[]; doneText?: string; onDone: () => void }) {
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const account = { username: me?.username ?? '', displayName: me?.displayName };
  const text = recoveryCodesText(codes, account, new Date());
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="recovery-codes">
      <Alert
        type="warning"
        showIcon
        title="请立即保存这 10 个恢复码，它们只显示这一次"
        description="手机（身份验证器）不在身边时，登录可用一个恢复码代替动态验证码；每个只能用一次。"
      />
      <Card size="small" styles={{ body: { background: '#fafafa' } }}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: 8, justifyItems: 'center' }}>
          {codes.map((c) => (
            <Typography.Text key={c} code style={{ fontSize: 15 }}>
              {c}
            </Typography.Text>
          ))}
        </div>
      </Card>
      <Flex wrap gap="small">
        <Button
          icon={<CopyOutlined />}
          onClick={() => void copyText(codes.join('\n')).then((ok) => (ok ? message.success('已复制恢复码') : message.error('复制失败，请下载或抄写')))}
        >
          复制
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => download(recoveryCodesFileName(account.username), text)}>
          下载 .txt
        </Button>
        <div style={{ flex: 1 }} />
        <Button type="primary" onClick={onDone}>
          {doneText}
        </Button>
      </Flex>
    </Space>
  );
}
