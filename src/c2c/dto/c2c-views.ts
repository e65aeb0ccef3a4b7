/** `Message` of the read API (DESIGN section 6). Times: `msgTime` Unix seconds, `recalledAt` / `editedAt` epoch milliseconds. */
export interface MessageView {
  msgKey: string;
  from: string;
  to: string;
  msgSeq: number;
  msgRandom: number;
  msgTime: number;
  msgId: string | null;
  onlineOnly: boolean;
  sendMsgResult: number;
  errorInfo: string | null;
  unreadMsgNum: number;
  /** MsgBody as received, or as the newest edit left it. */
  body: unknown[];
  /** As received, or as the newest edit left it. */
  cloudCustomData: string | null;
  extensions: { seq: number; items: { key: string; value: string; seq: number }[] };
  recalled: boolean;
  /** Epoch milliseconds; null unless recalled. */
  recalledAt: number | null;
  /** Epoch milliseconds of the newest edit (its EventTime); null unless edited. */
  editedAt: number | null;
}

export interface UnreadView {
  userId: string;
  unreadMsgNum: number;
}

/** One conversation of `GET /c2c/users/:userId/conversations`, seen from that user. */
export interface ConversationView {
  peer: string;
  /** The conversation's newest message (by msgTime, then msgSeq). */
  lastMessage: MessageView;
  /** Unix seconds: the user has read everything up to it; null without a read report. */
  lastReadTime: number | null;
  /** The peer's successful, not recalled messages to the user sent after `lastReadTime`. */
  unreadFromPeer: number;
}
