export class NotificationResponse {
  id!: string;
  /** The item the message is about. */
  itemId!: string | null;
  /** The workflow effects that sent it, comma-separated (e.g. `notifyReviewer`). */
  kind!: string;
  message!: string;
  createdAt!: string;
  readAt!: string | null;
}
