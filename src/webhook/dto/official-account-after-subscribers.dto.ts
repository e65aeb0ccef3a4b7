import { Type } from 'class-transformer';
import { ArrayNotEmpty, Equals, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { IsIntegerOrNumericString, IsStorableString } from './validators.js';

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

  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => OfficialAccountSubscriberDto)
  SubscribeAccountList!: OfficialAccountSubscriberDto[];

  /** Milliseconds. Orders each user's membership changes. */
  @IsIntegerOrNumericString()
  EventTime!: number | string;
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
