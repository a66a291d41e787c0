import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function ItemFormPage() {
  return <Card title="登记问题">建设中</Card>;
}
