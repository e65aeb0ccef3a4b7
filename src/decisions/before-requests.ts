import type { MessageBody } from '../events/message-body.js';

/** Where a "before" callback came from. It is decided before it is stored, so it has no inbox id. */
export class BeforeCallbackContext {
  constructor(
    readonly command: string,
    readonly sdkAppId: string,
    readonly clientIp: string | null,
    readonly optPlatform: string | null,
    readonly receivedAt: Date,
  ) {}
}

/** `C2C.CallbackBeforeSendMsg`. `body` and `cloudCustomData` include the changes of handlers that ran before. */
export class C2CBeforeSendMsgRequest {
  readonly from!: string;
  readonly to!: string;
  readonly msgKey!: string;
  readonly msgSeq!: number;
  readonly msgRandom!: number;
  readonly msgTime!: number;
  readonly onlineOnly!: boolean;
  readonly body!: MessageBody;
  readonly cloudCustomData!: string | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof C2CBeforeSendMsgRequest]: C2CBeforeSendMsgRequest[K] }) {
    Object.assign(this, fields);
  }
}

/** `OfficialAccount.CallbackBeforeSendMsg`. */
export class OfficialAccountBeforeSendMsgRequest {
  readonly officialAccount!: string;
  readonly onlineOnly!: boolean;
  readonly body!: MessageBody;
  readonly cloudCustomData!: string | null;
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof OfficialAccountBeforeSendMsgRequest]: OfficialAccountBeforeSendMsgRequest[K] }) {
    Object.assign(this, fields);
  }
}

/** `OfficialAccount.CallbackBeforeCreateOfficialAccount`. */
export class OfficialAccountBeforeCreateRequest {
  readonly operator!: string;
  readonly owner!: string;
  readonly name!: string;
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof OfficialAccountBeforeCreateRequest]: OfficialAccountBeforeCreateRequest[K] }) {
    Object.assign(this, fields);
  }
}

/** `OfficialAccount.CallbackBeforeAddSubscriber`. */
export class OfficialAccountBeforeAddSubscriberRequest {
  readonly officialAccount!: string;
  readonly operator!: string;
  readonly subscribers!: readonly string[];
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof OfficialAccountBeforeAddSubscriberRequest]: OfficialAccountBeforeAddSubscriberRequest[K] }) {
    Object.assign(this, fields);
  }
}
