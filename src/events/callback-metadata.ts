/** Where a callback came from and how it was received; carried by every domain event. */
export class CallbackMetadata {
  constructor(
    /** Id of the callback's row in the inbox (`GET /webhook-events/:id`). */
    readonly inboxId: number,
    readonly command: string,
    readonly sdkAppId: string,
    readonly clientIp: string | null,
    readonly optPlatform: string | null,
    readonly receivedAt: Date,
    /** 1 on first delivery to listeners, then 2, 3... on retries and replays. */
    readonly attempt: number,
    /**
     * True when the callback had no `EventTime` (an older payload shape): the event's time
     * (`eventTime`, `recalledAt`) is then `receivedAt`, not Tencent's.
     */
    readonly eventTimeIsReceipt = false,
  ) {}

  /** The same metadata, saying the event is timed by its receipt. */
  timedByReceipt(): CallbackMetadata {
    return new CallbackMetadata(this.inboxId, this.command, this.sdkAppId, this.clientIp, this.optPlatform, this.receivedAt, this.attempt, true);
  }
}
