import { Spin } from 'antd';
import { Navigate, Route, Routes } from 'react-router';
import { useAuth } from './auth/AuthProvider';
import { AppLayout } from './components/AppLayout';
import { AccountSecurityPage } from './pages/account/AccountSecurityPage';
import { TotpEnrolmentPage } from './pages/account/TotpEnrolmentPage';
import { AdminPage } from './pages/admin/AdminPage';
import { AuditPage } from './pages/audit/AuditPage';
import { NoRolesPage } from './pages/security/NoRolesPage';
import { SecurityPage } from './pages/security/SecurityPage';
import { CampaignDetailPage } from './pages/campaigns/CampaignDetailPage';
import { CampaignsPage } from './pages/campaigns/CampaignsPage';
import { InboxPage } from './pages/inbox/InboxPage';
import { ItemDetailPage } from './pages/items/ItemDetailPage';
import { ItemFormPage } from './pages/items/ItemFormPage';
import { ItemsPage } from './pages/items/ItemsPage';
import { ChangePasswordPage } from './pages/login/ChangePasswordPage';
import { LoginPage } from './pages/login/LoginPage';
import { NotificationsPage } from './pages/notifications/NotificationsPage';
import { DelegationsPage } from './pages/delegations/DelegationsPage';
import { StatsPage } from './pages/reports/StatsPage';

export function App() {
  const { status, me, hasRole, passwordChangeRequired, totpEnrolmentRequired } = useAuth();
  if (status === 'restoring' || (status === 'signedIn' && !me)) {
    return <Spin size="large" fullscreen tip="正在加载…" />;
  }
  if (status === 'signedOut') {
    return (
      <Routes>
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  }
  if (passwordChangeRequired) {
    return (
      <Routes>
        <Route path="*" element={<ChangePasswordPage />} />
      </Routes>
    );
  }
  if (totpEnrolmentRequired) {
    return (
      <Routes>
        <Route path="*" element={<TotpEnrolmentPage />} />
      </Routes>
    );
  }
  // An account without roles yet (三权分立: the admin created it, a security admin sets its roles) can do nothing else.
  if (me && me.roles.length === 0) return <NoRolesPage />;
  const home = hasRole('admin') ? '/admin' : hasRole('security_admin') ? '/security' : hasRole('auditor') ? '/audit' : '/inbox';
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to={home} replace />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="items" element={<ItemsPage />} />
        <Route path="items/new" element={<ItemFormPage />} />
        <Route path="items/:id" element={<ItemDetailPage />} />
        <Route path="items/:id/edit" element={<ItemFormPage />} />
        <Route path="stats" element={<StatsPage />} />
        <Route path="campaigns" element={<CampaignsPage />} />
        <Route path="campaigns/:id" element={<CampaignDetailPage />} />
        <Route path="admin" element={<AdminPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="security" element={<SecurityPage />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="delegations" element={<DelegationsPage />} />
        <Route path="account" element={<AccountSecurityPage />} />
        <Route path="login" element={<Navigate to={home} replace />} />
        <Route path="*" element={<Navigate to={home} replace />} />
      </Route>
    </Routes>
  );
}
