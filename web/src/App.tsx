import { Spin } from 'antd';
import { Navigate, Route, Routes } from 'react-router';
import { useAuth } from './auth/AuthProvider';
import { AppLayout } from './components/AppLayout';
import { AdminPage } from './pages/admin/AdminPage';
import { AuditPage } from './pages/audit/AuditPage';
import { CampaignDetailPage } from './pages/campaigns/CampaignDetailPage';
import { CampaignsPage } from './pages/campaigns/CampaignsPage';
import { InboxPage } from './pages/inbox/InboxPage';
import { ItemDetailPage } from './pages/items/ItemDetailPage';
import { ItemFormPage } from './pages/items/ItemFormPage';
import { ItemsPage } from './pages/items/ItemsPage';
import { ChangePasswordPage } from './pages/login/ChangePasswordPage';
import { LoginPage } from './pages/login/LoginPage';
import { NotificationsPage } from './pages/notifications/NotificationsPage';
import { StatsPage } from './pages/reports/StatsPage';

export function App() {
  const { status, me, hasRole, passwordChangeRequired } = useAuth();
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
  const home = hasRole('admin') ? '/admin' : hasRole('auditor') ? '/audit' : '/inbox';
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
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="login" element={<Navigate to={home} replace />} />
        <Route path="*" element={<Navigate to={home} replace />} />
      </Route>
    </Routes>
  );
}
