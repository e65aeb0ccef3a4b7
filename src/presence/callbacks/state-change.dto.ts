import { Type } from 'class-transformer';
import { Equals, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import type { UserStateAction } from '../events/user-state-changed.event.js';
import { IsIntegerOrNumericString, IsListOf, IsStorableString } from '../../webhook/dto/validators.js';

export const USER_STATE_ACTIONS: readonly UserStateAction[] = ['Login', 'Logout', 'Disconnect'];

export class StateChangeInfoDto {
  @IsIn(USER_STATE_ACTIONS)
  Action!: UserStateAction;

  /** The user whose state changed. */
  @IsStorableString()
  To_Account!: string;

  /** `Register`, `Unregister`, `LinkClose`, `TimeOut`; an open set, kept as sent. */
  @IsStorableString()
  Reason!: string;
}

export class KickedDeviceDto {
  /** Kept as sent (`IOS`, `iOS`, `Android`, ...): never checked against a list. */
  @IsStorableString()
  Platform!: string;
}

/**
 * `State.StateChange`: a user logged in, out, or lost the connection. Its query's OptPlatform may
 * be `IOS` in upper case: nothing here (nor the guard) checks OptPlatform, it is kept as sent.
 */
export class StateChangeDto {
  @Equals('State.StateChange')
  CallbackCommand!: 'State.StateChange';

  @IsObject()
  @ValidateNested()
  @Type(() => StateChangeInfoDto)
  Info!: StateChangeInfoDto;

  /** Devices this login kicked off. */
  @IsOptional()
  @IsListOf(() => KickedDeviceDto)
  KickedDevice?: KickedDeviceDto[];

  /** Milliseconds. Orders each user's state changes. */
  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
