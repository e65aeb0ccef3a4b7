import { Equals, IsOptional } from 'class-validator';
import { IsIntegerOrNumericString, IsListOf, IsStorableString } from '../../webhook/dto/validators.js';

export class BeforeSubscriberItemDto {
  @IsStorableString()
  Subscriber_Account!: string;
}

/** `OfficialAccount.CallbackBeforeAddSubscriber`: users are about to subscribe to an Official Account. */
export class OfficialAccountBeforeAddSubscriberDto {
  @Equals('OfficialAccount.CallbackBeforeAddSubscriber')
  CallbackCommand!: 'OfficialAccount.CallbackBeforeAddSubscriber';

  @IsStorableString()
  Official_Account!: string;

  @IsStorableString()
  Operator_Account!: string;

  @IsListOf(() => BeforeSubscriberItemDto)
  SubscribeAccountList!: BeforeSubscriberItemDto[];

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
