import { Injectable } from '@nestjs/common';
import { C2CBeforeSendMsgRequest, Decision, OnBeforeCallback, type MessageDecision } from '../../src/decisions/index.js';

/**
 * Appends a TIMCustomElem that the receiving clients read (here: when the server saw the message).
 * Runs after the keyword filter (order 20), so a blocked message is never tagged. Tencent allows at
 * most one TIMCustomElem per message: a message that has one already is left as it is.
 */
@Injectable()
export class MessageTaggerHandler {
  @OnBeforeCallback('C2C.CallbackBeforeSendMsg', { order: 20 })
  tag(request: C2CBeforeSendMsgRequest): MessageDecision {
    if (request.body.some((element) => element.MsgType === 'TIMCustomElem')) return Decision.allow();
    const tag = { MsgType: 'TIMCustomElem', MsgContent: { Data: JSON.stringify({ checkedAt: request.msgTime }), Desc: 'server-tag' } };
    return Decision.change({ msgBody: [...request.body, tag] });
  }
}
