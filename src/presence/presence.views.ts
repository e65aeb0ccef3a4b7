import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// Response shape of the presence read API. A class only for the OpenAPI document: the service
// returns plain objects of this shape.

@ApiSchema({ name: 'KickedDevice' })
export class KickedDeviceView {
  @ApiProperty({ type: String, description: 'Platform as Tencent sent it (`IOS`, `Android`, `Web`, ...).', example: 'Android' })
  platform!: string;
}

/** `GET /users/:userId/presence`: the user's newest state change (by EventTime). */
@ApiSchema({ name: 'Presence', description: "The user's newest State.StateChange (by EventTime)." })
export class PresenceView {
  @ApiProperty({ type: String, example: 'Jonh' })
  userId!: string;

  /** True after a Login. */
  @ApiProperty({ type: Boolean, description: 'True after a Login.' })
  online!: boolean;

  /** `Login`, `Logout` or `Disconnect`. */
  @ApiProperty({ type: String, description: '`Login`, `Logout` or `Disconnect`, as Tencent sent it.', example: 'Login' })
  action!: string;

  /** `Register`, `Unregister`, `LinkClose`, `TimeOut`, ... as Tencent sent it. */
  @ApiProperty({ type: String, description: '`Register`, `Unregister`, `LinkClose`, `TimeOut`, ... as Tencent sent it.', example: 'Register' })
  reason!: string;

  /** Devices that change kicked off; empty when none. */
  @ApiProperty({ type: () => KickedDeviceView, isArray: true, description: 'Devices that change kicked off; empty when none.' })
  kickedDevices!: KickedDeviceView[];

  /** Epoch milliseconds of the change. */
  @ApiProperty({ type: 'integer', description: 'Epoch milliseconds of the change.' })
  eventTime!: number;
}
