import type { BeforeCallbackContext } from '../decisions/before-requests.js';
import type { MessageBody } from '../events/message-body.js';

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
