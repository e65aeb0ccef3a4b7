import { Module } from '@nestjs/common';
import { KeywordFilterHandler } from './keyword-filter.handler.js';
import { MessageTaggerHandler } from './message-tagger.handler.js';

/** Decides C2C.CallbackBeforeSendMsg: a keyword filter that blocks, then a tagger that appends a TIMCustomElem. */
@Module({ providers: [KeywordFilterHandler, MessageTaggerHandler], exports: [] })
export class MessageModerationModule {}
