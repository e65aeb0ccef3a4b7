import type { BeforeCallbackContext } from '../decisions/before-requests.js';
import type { MessageBody } from '../events/message-body.js';

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
