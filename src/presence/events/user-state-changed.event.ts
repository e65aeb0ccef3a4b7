import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** `Login`, `Logout`, `Disconnect`. */
export type UserStateAction = 'Login' | 'Logout' | 'Disconnect';

export interface KickedDevice {
  /** As Tencent sent it (`Windows`, `Android`, `IOS`, ...). */
  readonly platform: string;
}

/** A user logged in, logged out or lost their connection (`State.StateChange`). */
export class UserStateChangedEvent {
  static readonly eventName = 'user.state.changed';

  /** `Info.To_Account`. */
  readonly userId!: string;
  readonly action!: UserStateAction;
  /** True after a `Login`. */
  readonly online!: boolean;
  /** `Info.Reason`: `Register`, `Unregister`, `LinkClose`, `TimeOut`, ... as sent. */
  readonly reason!: string;
  /** Devices this login kicked off (`KickedDevice`); empty when there were none. */
  readonly kickedDevices!: readonly KickedDevice[];
  /** Milliseconds since the epoch; a newer state wins. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof UserStateChangedEvent]: UserStateChangedEvent[K] }) {
    Object.assign(this, fields);
  }
}
