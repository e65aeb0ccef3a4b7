import { Injectable } from '@nestjs/common';
import type { C2CMessageExtensionChangedEvent } from '../events/c2c-message-extension-changed.event.js';
import type { C2CMessageEvent } from '../events/c2c-message-sent.event.js';
import { C2CExtensionRepository, NO_EXTENSIONS } from './c2c-extension.repository.js';
import { C2CMessageRepository, type C2CMessageRow } from './c2c-message.repository.js';
import { C2CUnreadRepository } from './c2c-unread.repository.js';
import type { MessageView, UnreadView } from './dto/c2c-views.js';

/** Owns the one-to-one projections: messages, unread totals, message extensions. */
@Injectable()
export class C2CService {
  constructor(
    private readonly messages: C2CMessageRepository,
    private readonly unread: C2CUnreadRepository,
    private readonly extensions: C2CExtensionRepository,
  ) {}

  async recordSentMessage(event: C2CMessageEvent): Promise<void> {
    await this.messages.insertFromSendEvent(event);
    await this.unread.recordIfNewer(event.to, event.unreadMsgNum, event.msgTime, event.msgSeq);
  }

  /** A failed send is kept as a message (with its result) but says nothing about unread counts. */
  async recordFailedMessage(event: C2CMessageEvent): Promise<void> {
    await this.messages.insertFromSendEvent(event);
  }

  async applyExtensionChange(event: C2CMessageExtensionChangedEvent): Promise<void> {
    await this.extensions.applyChange(event);
  }

  async listMessages(user1: string, user2: string, limit: number): Promise<MessageView[]> {
    const rows = await this.messages.findInConversation(user1, user2, limit);
    const extensions = await this.extensions.findForMessages(user1, user2, rows.map((r) => r.msgKey));
    return rows.map((row) => toMessageView(row, extensions.get(row.msgKey)));
  }

  async getMessage(user1: string, user2: string, msgKey: string): Promise<MessageView | undefined> {
    const row = await this.messages.findOne(user1, user2, msgKey);
    if (!row) return undefined;
    const extensions = await this.extensions.findForMessages(user1, user2, [msgKey]);
    return toMessageView(row, extensions.get(msgKey));
  }

  async getUnread(userId: string): Promise<UnreadView | undefined> {
    const row = await this.unread.findByUser(userId);
    return row && { userId: row.userId, unreadMsgNum: row.unreadMsgNum };
  }
}

function toMessageView(row: C2CMessageRow, extensions = NO_EXTENSIONS): MessageView {
  return {
    msgKey: row.msgKey,
    from: row.fromAccount,
    to: row.toAccount,
    msgSeq: row.msgSeq,
    msgRandom: row.msgRandom,
    msgTime: row.msgTime,
    msgId: row.msgId,
    onlineOnly: row.onlineOnly,
    sendMsgResult: row.sendMsgResult,
    errorInfo: row.errorInfo,
    unreadMsgNum: row.unreadMsgNum,
    body: row.body,
    cloudCustomData: row.cloudCustomData,
    extensions: { seq: extensions.seq, items: extensions.items.map((item) => ({ ...item })) },
  };
}
