import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function InboxPage() {
  return <Card title="待办">建设中</Card>;
}
