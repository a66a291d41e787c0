import { Alert, Button, Card, Typography } from 'antd';
import { useAuth } from '../../auth/AuthProvider';
import { announceTotpEnrolmentRequired, logout } from '../../auth/session';
import { TotpEnrolment } from './TotpEnrolment';

/**
 * The only page a user sees while their role requires a second factor they
 * have not enrolled (403 TOTP_ENROLMENT_REQUIRED): bind an authenticator,
 * save the recovery codes, then the console carries on in the same session.
 */
export function TotpEnrolmentPage() {
  const { me, totpEnrolled } = useAuth();
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, background: '#f5f5f5' }}>
      <Card style={{ width: 640, maxWidth: '100%' }} data-testid="totp-enrolment-required">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          绑定动态验证码
        </Typography.Title>
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${me?.displayName ?? ''}，按照等级保护要求，${me?.roleLabels.join('、') ?? ''}须使用双因素认证。请先绑定身份验证器再继续使用。`}
        />
        {/* Once confirmed, `me` may say enrolled at any refetch: hold this page until the recovery codes were seen. */}
        <TotpEnrolment onConfirmed={announceTotpEnrolmentRequired} onDone={() => void totpEnrolled()} />
        <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout()}>
          退出登录
        </Button>
      </Card>
    </div>
  );
}
