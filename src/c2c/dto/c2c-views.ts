/** `Message` of the read API (DESIGN section 6). */
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
  /** MsgBody as received. */
  body: unknown[];
  cloudCustomData: string | null;
  extensions: { seq: number; items: { key: string; value: string; seq: number }[] };
}

export interface UnreadView {
  userId: string;
  unreadMsgNum: number;
}
