import { ArrayNotEmpty, Equals, IsOptional } from 'class-validator';
import { IsIntegerOrNumericString, IsListOf, IsStorableString } from '../../webhook/dto/validators.js';

export class OfficialAccountSubscriberDto {
  @IsStorableString()
  Subscriber_Account!: string;
}

/** The shape both subscriber callbacks share. */
abstract class OfficialAccountAfterSubscribersDto {
  @IsStorableString()
  Official_Account!: string;

  @IsOptional()
  @IsStorableString()
  Operator_Account?: string;

  @IsListOf(() => OfficialAccountSubscriberDto)
  @ArrayNotEmpty()
  SubscribeAccountList!: OfficialAccountSubscriberDto[];

  /** Milliseconds. Orders each user's membership changes. */
  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}

/** `OfficialAccount.CallbackAfterAddSubscriber`. */
export class OfficialAccountAfterAddSubscriberDto extends OfficialAccountAfterSubscribersDto {
  @Equals('OfficialAccount.CallbackAfterAddSubscriber')
  CallbackCommand!: 'OfficialAccount.CallbackAfterAddSubscriber';
}

/** `OfficialAccount.CallbackAfterDeleteSubscriber`: users unsubscribed or were removed. */
export class OfficialAccountAfterDeleteSubscriberDto extends OfficialAccountAfterSubscribersDto {
  @Equals('OfficialAccount.CallbackAfterDeleteSubscriber')
  CallbackCommand!: 'OfficialAccount.CallbackAfterDeleteSubscriber';
}
