import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function NotificationsPage() {
  return <Card title="消息">建设中</Card>;
}
