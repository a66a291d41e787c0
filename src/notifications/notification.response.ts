export class NotificationResponse {
  id!: string;
  /** The item the message is about. */
  itemId!: string | null;
  /** What sent it: a workflow effect (`notifyReviewer`, `notifyRectifier`, `notifyParticipants` …), the daily job (`deadlineSoon`, `deadlinePassed`, `phaseEnded`) or a 督办通知书 (`supervisionNotice`, `noticeAcknowledged`, `noticeReplied`). */
  kind!: string;
  message!: string;
  createdAt!: string;
  readAt!: string | null;
}

export class UnreadCountResponse {
  /** Unread notifications of the caller (all of them, not only the 100 the list shows). */
  unread!: number;
}
