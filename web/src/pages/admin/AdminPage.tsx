import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function AdminPage() {
  return <Card title="管理">建设中</Card>;
}
