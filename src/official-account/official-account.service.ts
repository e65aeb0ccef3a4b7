import { Injectable } from '@nestjs/common';
import type { OfficialAccountCreatedEvent } from './events/official-account-created.event.js';
import type { OfficialAccountDestroyedEvent } from './events/official-account-destroyed.event.js';
import type { OfficialAccountFullEvent } from './events/official-account-full.event.js';
import type { OfficialAccountMessageRecalledEvent } from './events/official-account-message-recalled.event.js';
import type { OfficialAccountMessageSentEvent } from './events/official-account-message-sent.event.js';
import type { OfficialAccountSubscribersEvent } from './events/official-account-subscribers-changed.event.js';
import type { OfficialAccountUpdatedEvent } from './events/official-account-updated.event.js';
import { OfficialAccountMessageRepository, type OfficialAccountMessageRow } from './official-account-message.repository.js';
import { OfficialAccountProfileRepository } from './official-account-profile.repository.js';
import { OfficialAccountRecallRepository } from './official-account-recall.repository.js';
import { OfficialAccountSubscriberRepository } from './official-account-subscriber.repository.js';
import type { OfficialAccountMessageView, OfficialAccountView, SubscriberView } from './official-account.views.js';

export type { OfficialAccountMessageView, OfficialAccountView, SubscriberView } from './official-account.views.js';

/** Owns the Official Account projections: messages and their recalls, profiles, subscribers. */
@Injectable()
export class OfficialAccountService {
  constructor(
    private readonly messages: OfficialAccountMessageRepository,
    private readonly recalls: OfficialAccountRecallRepository,
    private readonly profiles: OfficialAccountProfileRepository,
    private readonly subscribers: OfficialAccountSubscriberRepository,
  ) {}

  async recordSentMessage(event: OfficialAccountMessageSentEvent): Promise<void> {
    await this.messages.insertFromSentEvent(event);
  }

  async recordRecall(event: OfficialAccountMessageRecalledEvent): Promise<void> {
    await this.recalls.markRecalled(event.officialAccount, event.msgKeys, event.eventTime);
  }

  async recordCreated(event: OfficialAccountCreatedEvent): Promise<void> {
    await this.profiles.applyFacts({
      officialAccount: event.officialAccount,
      eventTime: event.eventTime,
      fields: { name: event.name, ownerAccount: event.owner },
      created: true,
    });
  }

  async recordUpdated(event: OfficialAccountUpdatedEvent): Promise<void> {
    await this.profiles.applyFacts({ officialAccount: event.officialAccount, eventTime: event.eventTime, fields: event.changes });
  }

  async recordDestroyed(event: OfficialAccountDestroyedEvent): Promise<void> {
    await this.profiles.applyFacts({
      officialAccount: event.officialAccount,
      eventTime: event.eventTime,
      fields: { name: event.name ?? undefined, ownerAccount: event.owner ?? undefined },
      destroyed: true,
    });
  }

  async recordFull(event: OfficialAccountFullEvent): Promise<void> {
    await this.profiles.applyFacts({ officialAccount: event.officialAccount, eventTime: event.eventTime, full: true });
  }

  async recordSubscribersAdded(event: OfficialAccountSubscribersEvent): Promise<void> {
    await this.subscribers.recordMembership(event.officialAccount, event.subscribers, true, event.eventTime);
    await this.profiles.ensureKnown(event.officialAccount);
  }

  async recordSubscribersRemoved(event: OfficialAccountSubscribersEvent): Promise<void> {
    await this.subscribers.recordMembership(event.officialAccount, event.subscribers, false, event.eventTime);
    await this.profiles.applyFacts({ officialAccount: event.officialAccount, eventTime: event.eventTime, subscriberRemoved: true });
  }

  async getAccount(officialAccount: string): Promise<OfficialAccountView | undefined> {
    const row = await this.profiles.findOne(officialAccount);
    if (!row) return undefined;
    const subscriberCount = await this.subscribers.countSubscribed(officialAccount);
    const full = row.fullEventTime !== null && (row.subscriberRemovedEventTime === null || row.fullEventTime >= row.subscriberRemovedEventTime);
    return {
      officialAccount: row.officialAccount,
      name: row.name,
      ownerAccount: row.ownerAccount,
      faceUrl: row.faceUrl,
      introduction: row.introduction,
      organization: row.organization,
      subscriberCount,
      full,
      destroyed: row.destroyedEventTime !== null,
    };
  }

  /** Undefined when the account is unknown. */
  async listSubscribers(officialAccount: string, limit: number): Promise<SubscriberView[] | undefined> {
    if (!(await this.profiles.findOne(officialAccount))) return undefined;
    const rows = await this.subscribers.findSubscribed(officialAccount, limit);
    return rows.map((row) => ({ userId: row.userId, subscribedAt: row.eventTime }));
  }

  async listMessages(officialAccount: string, limit: number): Promise<OfficialAccountMessageView[]> {
    return this.toViews(officialAccount, await this.messages.findByAccount(officialAccount, limit));
  }

  async getMessage(officialAccount: string, msgKey: string): Promise<OfficialAccountMessageView | undefined> {
    const row = await this.messages.findOne(officialAccount, msgKey);
    return row && (await this.toViews(officialAccount, [row]))[0];
  }

  private async toViews(officialAccount: string, rows: OfficialAccountMessageRow[]): Promise<OfficialAccountMessageView[]> {
    const recalledAt = await this.recalls.findRecalledAt(officialAccount, rows.map((row) => row.msgKey));
    return rows.map((row) => toView(row, recalledAt.get(row.msgKey)));
  }
}

function toView(row: OfficialAccountMessageRow, recalledAt: number | undefined): OfficialAccountMessageView {
  return {
    officialAccount: row.officialAccount,
    msgKey: row.msgKey,
    msgTime: row.msgTime,
    onlineOnly: row.onlineOnly,
    body: row.body,
    cloudCustomData: row.cloudCustomData,
    eventTime: row.eventTime,
    recalled: recalledAt !== undefined,
    recalledAt: recalledAt ?? null,
  };
}
