import { Injectable } from '@nestjs/common';

/** Stands in for whatever your app uses to notify users (a push service, a REST call to Chat). */
@Injectable()
export class GreetingOutbox {
  readonly queued = new Map<string, string>();

  /** True when the greeting was queued now, false when this user was already greeted. */
  async queueOnce(userId: string, text: string): Promise<boolean> {
    if (this.queued.has(userId)) return false;
    this.queued.set(userId, text);
    return true;
  }
}
