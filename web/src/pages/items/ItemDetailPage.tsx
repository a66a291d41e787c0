import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function ItemDetailPage() {
  return <Card title="问题详情">建设中</Card>;
}
