import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function AuditPage() {
  return <Card title="审计">建设中</Card>;
}
