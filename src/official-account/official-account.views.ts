/** `OfficialAccountMessage` of the read API (DESIGN section 6). */
export interface OfficialAccountMessageView {
  officialAccount: string;
  msgKey: string;
  /** Unix seconds. */
  msgTime: number;
  onlineOnly: boolean;
  body: unknown[];
  cloudCustomData: string | null;
  /** Epoch milliseconds; null when Tencent did not send it. */
  eventTime: number | null;
  recalled: boolean;
  /** Epoch milliseconds (the recall's EventTime); null unless recalled. */
  recalledAt: number | null;
}

/** `GET /official-accounts/:officialAccount`. Profile fields are null until a callback tells them. */
export interface OfficialAccountView {
  officialAccount: string;
  name: string | null;
  ownerAccount: string | null;
  faceUrl: string | null;
  introduction: string | null;
  organization: string | null;
  subscriberCount: number;
  /** The subscriber limit was reached and no subscriber has been removed since. */
  full: boolean;
  destroyed: boolean;
}

export interface SubscriberView {
  userId: string;
  /** Epoch milliseconds: the EventTime of the add that made the current membership. */
  subscribedAt: number;
}
