
/** Where a "before" callback came from. It is decided before it is stored, so it has no inbox id. */
export class BeforeCallbackContext {
  constructor(
    readonly command: string,
    readonly sdkAppId: string,
    readonly clientIp: string | null,
    readonly optPlatform: string | null,
    readonly receivedAt: Date,
  ) {}
}
