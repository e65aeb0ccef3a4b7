import { Injectable } from '@nestjs/common';
import type { C2CConversationReadEvent } from './events/c2c-conversation-read.event.js';
import type { C2CMessageEditedEvent } from './events/c2c-message-edited.event.js';
import type { C2CMessageExtensionChangedEvent } from './events/c2c-message-extension-changed.event.js';
import type { C2CMessageRecalledEvent } from './events/c2c-message-recalled.event.js';
import type { C2CMessageEvent } from './events/c2c-message-sent.event.js';
import { C2CConversationRepository } from './c2c-conversation.repository.js';
import { C2CEditRepository, type MessageEditRow } from './c2c-edit.repository.js';
import { C2CExtensionRepository, NO_EXTENSIONS, type MessageExtensions } from './c2c-extension.repository.js';
import { C2CMessageRepository, type C2CMessageRow } from './c2c-message.repository.js';
import { C2CReadRepository } from './c2c-read.repository.js';
import { C2CRecallRepository } from './c2c-recall.repository.js';
import { C2CUnreadRepository } from './c2c-unread.repository.js';
import type { ConversationView, MessageView, UnreadView } from './dto/c2c-views.js';
import { messageRefOf, refKey } from './message-ref.js';

/**
 * Owns the one-to-one projections: messages, unread totals, message extensions, read watermarks,
 * recalls and edits. Recalls, edits and extensions are kept apart from the messages and joined on
 * read, so each may arrive before its message.
 */
@Injectable()
export class C2CService {
  constructor(
    private readonly messages: C2CMessageRepository,
    private readonly unread: C2CUnreadRepository,
    private readonly extensions: C2CExtensionRepository,
    private readonly reads: C2CReadRepository,
    private readonly recalls: C2CRecallRepository,
    private readonly edits: C2CEditRepository,
    private readonly conversations: C2CConversationRepository,
  ) {}

  async recordSentMessage(event: C2CMessageEvent): Promise<void> {
    await Promise.all([
      this.messages.insertFromSendEvent(event),
      this.unread.recordIfNewer(event.to, event.unreadMsgNum, event.msgTime, event.msgSeq),
    ]);
  }

  /** A failed send is kept as a message (with its result) but says nothing about unread counts. */
  async recordFailedMessage(event: C2CMessageEvent): Promise<void> {
    await this.messages.insertFromSendEvent(event);
  }

  async applyExtensionChange(event: C2CMessageExtensionChangedEvent): Promise<void> {
    await this.extensions.applyChange(event);
  }

  async recordRead(event: C2CConversationReadEvent): Promise<void> {
    await this.reads.recordIfNewer(event);
  }

  async recordRecall(event: C2CMessageRecalledEvent): Promise<void> {
    await this.recalls.markRecalled(messageRefOf(event.from, event.to, event.msgKey), event.recalledAt);
  }

  async applyEdit(event: C2CMessageEditedEvent): Promise<void> {
    await this.edits.applyIfNewer(event);
  }

  async listMessages(user1: string, user2: string, limit: number): Promise<MessageView[]> {
    return this.toMessageViews(await this.messages.findInConversation(user1, user2, limit));
  }

  async getMessage(user1: string, user2: string, msgKey: string): Promise<MessageView | undefined> {
    const row = await this.messages.findOne(user1, user2, msgKey);
    return row && (await this.toMessageViews([row]))[0];
  }

  /**
   * The user's total unread count from the newest of two sources: the newest successful send to
   * them (by MsgTime, then MsgSeq) and their newest read report (by LastReadTime). Both are
   * Tencent's Unix seconds; a report wins a tie, as everything up to its LastReadTime is read.
   */
  async getUnread(userId: string): Promise<UnreadView | undefined> {
    const [send, report] = await Promise.all([this.unread.findByUser(userId), this.reads.findNewestOfReader(userId)]);
    const newest = report && (!send || report.lastReadTime >= send.msgTime) ? report : send;
    return newest && { userId, unreadMsgNum: newest.unreadMsgNum };
  }

  /** The user's conversations, newest last message first. */
  async listConversations(userId: string, limit: number): Promise<ConversationView[]> {
    const latest = await this.conversations.findLatestMessages(userId, limit);
    const peers = latest.map((row) => (row.userA === userId ? row.userB : row.userA));
    const [views, watermarks, unread] = await Promise.all([
      this.toMessageViews(latest),
      this.reads.findWatermarks(userId, peers),
      this.conversations.countUnreadFromPeers(userId, peers),
    ]);
    return views.map((lastMessage, i) => {
      const peer = peers[i]!;
      return { peer, lastMessage, lastReadTime: watermarks.get(peer) ?? null, unreadFromPeer: unread.get(peer) ?? 0 };
    });
  }

  /** Messages as the read API shows them: with their extensions, recall and newest edit. */
  private async toMessageViews(rows: C2CMessageRow[]): Promise<MessageView[]> {
    const refs = rows.map((row) => ({ userA: row.userA, userB: row.userB, msgKey: row.msgKey }));
    const [extensions, recalledAt, edits] = await Promise.all([
      this.extensions.findForMessages(refs),
      this.recalls.findRecalledAt(refs),
      this.edits.findNewest(refs),
    ]);
    return rows.map((row) => {
      const key = refKey(row);
      return toMessageView(row, extensions.get(key), recalledAt.get(key), edits.get(key));
    });
  }
}

function toMessageView(row: C2CMessageRow, extensions: MessageExtensions = NO_EXTENSIONS, recalledAt?: number, edit?: MessageEditRow): MessageView {
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
    body: edit ? edit.body : row.body,
    cloudCustomData: edit ? edit.cloudCustomData : row.cloudCustomData,
    extensions: { seq: extensions.seq, items: extensions.items.map((item) => ({ ...item })) },
    recalled: recalledAt !== undefined,
    recalledAt: recalledAt ?? null,
    editedAt: edit ? edit.eventTime : null,
  };
}
