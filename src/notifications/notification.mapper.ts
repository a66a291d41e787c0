import { Notification } from './notification.entity';
import { NotificationResponse } from './notification.response';

export function mapNotification(n: Notification): NotificationResponse {
  return {
    id: n.id,
    itemId: n.itemId,
    kind: n.kind,
    message: n.message,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}
