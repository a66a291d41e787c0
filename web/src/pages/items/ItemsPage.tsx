import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function ItemsPage() {
  return <Card title="问题台账">建设中</Card>;
}
