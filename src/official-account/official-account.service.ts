import { Injectable } from '@nestjs/common';
import type { OfficialAccountMessageSentEvent } from '../events/official-account-message-sent.event.js';
import { OfficialAccountMessageRepository, type OfficialAccountMessageRow } from './official-account-message.repository.js';

/** `OfficialAccountMessage` of the read API (DESIGN section 6). */
export interface OfficialAccountMessageView {
  officialAccount: string;
  msgKey: string;
  msgTime: number;
  onlineOnly: boolean;
  body: unknown[];
  cloudCustomData: string | null;
  eventTime: number | null;
}

@Injectable()
export class OfficialAccountService {
  constructor(private readonly messages: OfficialAccountMessageRepository) {}

  async recordSentMessage(event: OfficialAccountMessageSentEvent): Promise<void> {
    await this.messages.insertFromSentEvent(event);
  }

  async listMessages(officialAccount: string, limit: number): Promise<OfficialAccountMessageView[]> {
    return (await this.messages.findByAccount(officialAccount, limit)).map(toView);
  }

  async getMessage(officialAccount: string, msgKey: string): Promise<OfficialAccountMessageView | undefined> {
    const row = await this.messages.findOne(officialAccount, msgKey);
    return row && toView(row);
  }
}

function toView(row: OfficialAccountMessageRow): OfficialAccountMessageView {
  return {
    officialAccount: row.officialAccount,
    msgKey: row.msgKey,
    msgTime: row.msgTime,
    onlineOnly: row.onlineOnly,
    body: row.body,
    cloudCustomData: row.cloudCustomData,
    eventTime: row.eventTime,
  };
}
