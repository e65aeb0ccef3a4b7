import { Inject, Injectable } from '@nestjs/common';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { GroupMessageSendFailedEvent } from './events/group-message-send-failed.event.js';
import { topicKey } from './group-message-ref.js';
import { groupMessageFailures } from './group.schema.js';

/** Failed group sends. A failure is a fact reported once (keyed as its dedupe key); a repeat changes nothing. */
@Injectable()
export class GroupFailureRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insertFromFailedEvent(event: GroupMessageSendFailedEvent): Promise<void> {
    await this.db
      .insert(groupMessageFailures)
      .values({
        groupId: event.groupId,
        topicId: topicKey(event.topicId),
        fromAccount: event.from,
        msgRandom: event.msgRandom,
        errorCode: event.errorCode,
        errorInfo: event.errorInfo,
        onlineOnly: event.onlineOnly,
        body: event.body === null ? null : [...event.body],
        cloudCustomData: event.cloudCustomData,
        eventTime: event.eventTime,
      })
      .onConflictDoNothing();
  }
}
