import { C2CMessageEvent } from './c2c-message-sent.event.js';

/** A one-to-one send failed (`C2C.CallbackAfterSendMsg` with a non-zero SendMsgResult). */
export class C2CMessageSendFailedEvent extends C2CMessageEvent {
  static readonly eventName = 'c2c.message.send-failed';
}
