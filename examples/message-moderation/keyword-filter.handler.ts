import { Injectable } from '@nestjs/common';
import { C2CBeforeSendMsgRequest, Decision, OnBeforeCallback, type MessageDecision } from '../../src/decisions/index.js';

export const BLOCKED_WORDS = ['forbidden-word', 'spam-link.example'];
/** A custom code in Tencent's range (120001-130000) reaches the sender's client with the message. */
export const BLOCKED_CODE = 120_001;

/** Blocks one-to-one text messages containing a blocked word; everything else passes. */
@Injectable()
export class KeywordFilterHandler {
  @OnBeforeCallback('C2C.CallbackBeforeSendMsg', { order: 10 })
  checkText(request: C2CBeforeSendMsgRequest): MessageDecision {
    const texts = request.body.flatMap((element) =>
      element.MsgType === 'TIMTextElem' && typeof element.MsgContent.Text === 'string' ? [element.MsgContent.Text.toLowerCase()] : [],
    );
    const word = BLOCKED_WORDS.find((w) => texts.some((text) => text.includes(w)));
    return word ? Decision.block({ code: BLOCKED_CODE, message: 'Your message contains a blocked word.' }) : Decision.allow();
  }
}
