import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MsgBodyElement } from '../common/openapi.js';

// Response shapes of the Official Account read API. Classes only for the OpenAPI document: the
// service returns plain objects of these shapes.

/** `OfficialAccountMessage` of the read API (DESIGN section 6). */
@ApiSchema({ name: 'OfficialAccountMessage', description: 'A message an Official Account sent, with its recall applied.' })
export class OfficialAccountMessageView {
  @ApiProperty({ type: String, example: '@TOA#_2J4SZEAEL' })
  officialAccount!: string;

  @ApiProperty({ type: String, example: '144115233406643804_2178401_1603440181' })
  msgKey!: string;

  /** Unix seconds. */
  @ApiProperty({ type: 'integer', description: 'Unix seconds.', example: 1603440181 })
  msgTime!: number;

  @ApiProperty({ type: Boolean, description: 'OnlineOnlyFlag was 1.' })
  onlineOnly!: boolean;

  @ApiProperty({ type: () => MsgBodyElement, isArray: true, description: 'MsgBody as received.' })
  body!: unknown[];

  @ApiProperty({ type: String, nullable: true, description: 'CloudCustomData as received.' })
  cloudCustomData!: string | null;

  /** Epoch milliseconds; null when Tencent did not send it. */
  @ApiProperty({ type: 'integer', nullable: true, description: 'Epoch milliseconds; null when Tencent did not send it.' })
  eventTime!: number | null;

  @ApiProperty({ type: Boolean, description: 'OfficialAccount.CallbackAfterMsgWithDraw listed it.' })
  recalled!: boolean;

  /** Epoch milliseconds (the recall's EventTime); null unless recalled. */
  @ApiProperty({ type: 'integer', nullable: true, description: "Epoch milliseconds (the recall's EventTime); null unless recalled." })
  recalledAt!: number | null;
}

@ApiSchema({ name: 'OfficialAccountMessageList' })
export class OfficialAccountMessageListView {
  @ApiProperty({ type: () => OfficialAccountMessageView, isArray: true, description: 'By msgTime, then msgKey.' })
  items!: OfficialAccountMessageView[];
}

/** `GET /official-accounts/:officialAccount`. Profile fields are null until a callback tells them. */
@ApiSchema({ name: 'OfficialAccount', description: 'Profile fields hold the value of the newest callback (by EventTime) that carried them; null until one did.' })
export class OfficialAccountView {
  @ApiProperty({ type: String, example: '@TOA#_2J4SZEAEL' })
  officialAccount!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  ownerAccount!: string | null;

  @ApiProperty({ type: String, nullable: true })
  faceUrl!: string | null;

  @ApiProperty({ type: String, nullable: true })
  introduction!: string | null;

  @ApiProperty({ type: String, nullable: true })
  organization!: string | null;

  @ApiProperty({ type: 'integer', description: 'Current subscribers.' })
  subscriberCount!: number;

  /** The subscriber limit was reached and no subscriber has been removed since. */
  @ApiProperty({ type: Boolean, description: 'The subscriber limit was reached and no subscriber has been removed since (by EventTime).' })
  full!: boolean;

  @ApiProperty({ type: Boolean, description: 'The account was destroyed (a late creation does not undo it).' })
  destroyed!: boolean;
}

@ApiSchema({ name: 'Subscriber' })
export class SubscriberView {
  @ApiProperty({ type: String, example: 'Jonh' })
  userId!: string;

  /** Epoch milliseconds: the EventTime of the add that made the current membership. */
  @ApiProperty({ type: 'integer', description: 'Epoch milliseconds: the EventTime of the add that made the current membership.' })
  subscribedAt!: number;
}

@ApiSchema({ name: 'SubscriberList' })
export class SubscriberListView {
  @ApiProperty({ type: () => SubscriberView, isArray: true, description: 'The current subscribers, longest-standing first.' })
  items!: SubscriberView[];
}
