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
  ) {}
}
