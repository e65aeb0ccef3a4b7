import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MsgBodyElement } from '../../common/openapi.js';

// Response shapes of the C2C read API. Classes only for the OpenAPI document: the service returns
// plain objects of these shapes.

/** One extension key of a message that currently holds a value. */
@ApiSchema({ name: 'MessageExtensionItem' })
export class MessageExtensionItemView {
  @ApiProperty({ type: String, example: 'reaction' })
  key!: string;

  @ApiProperty({ type: String, example: 'like' })
  value!: string;

  @ApiProperty({ type: 'integer', description: 'Extension Seq of the change that set this key.', example: 3 })
  seq!: number;
}

@ApiSchema({ name: 'MessageExtensions', description: '`{seq: 0, items: []}` when the message has none.' })
export class MessageExtensionsView {
  @ApiProperty({ type: 'integer', description: "The message's extension version.", example: 3 })
  seq!: number;

  @ApiProperty({ type: () => MessageExtensionItemView, isArray: true, description: 'The keys that currently hold a value, sorted by key (deleted and cleared keys are not listed).' })
  items!: MessageExtensionItemView[];
}

/** `Message` of the read API (DESIGN section 6). Times: `msgTime` Unix seconds, `recalledAt` / `editedAt` epoch milliseconds. */
@ApiSchema({ name: 'Message', description: 'A one-to-one message, with its extensions, recall and newest edit applied.' })
export class MessageView {
  @ApiProperty({ type: String, example: '144115233406643804_2178401_1603440181' })
  msgKey!: string;

  @ApiProperty({ type: String, description: 'From_Account.', example: 'Jonh' })
  from!: string;

  @ApiProperty({ type: String, description: 'To_Account.', example: 'Kate' })
  to!: string;

  @ApiProperty({ type: 'integer', example: 2178401 })
  msgSeq!: number;

  @ApiProperty({ type: 'integer', example: 1287657 })
  msgRandom!: number;

  @ApiProperty({ type: 'integer', description: 'Unix seconds.', example: 1603440181 })
  msgTime!: number;

  @ApiProperty({ type: String, nullable: true, description: 'MsgId, when Tencent sent one.' })
  msgId!: string | null;

  @ApiProperty({ type: Boolean, description: 'OnlineOnlyFlag was 1.' })
  onlineOnly!: boolean;

  @ApiProperty({ type: 'integer', description: 'SendMsgResult: 0 when the message was delivered.', example: 0 })
  sendMsgResult!: number;

  @ApiProperty({ type: String, nullable: true, description: 'ErrorInfo of a failed send.' })
  errorInfo!: string | null;

  @ApiProperty({ type: 'integer', description: "UnreadMsgNum: the receiver's total unread count after this message.", example: 7 })
  unreadMsgNum!: number;

  /** MsgBody as received, or as the newest edit left it. */
  @ApiProperty({ type: () => MsgBodyElement, isArray: true, description: 'MsgBody as received, or as the newest edit left it.' })
  body!: unknown[];

  /** As received, or as the newest edit left it. */
  @ApiProperty({ type: String, nullable: true, description: 'CloudCustomData as received, or as the newest edit left it.' })
  cloudCustomData!: string | null;

  @ApiProperty({ type: () => MessageExtensionsView })
  extensions!: MessageExtensionsView;

  @ApiProperty({ type: Boolean, description: 'C2C.CallbackAfterMsgWithDraw reported it.' })
  recalled!: boolean;

  /** Epoch milliseconds; null unless recalled. */
  @ApiProperty({ type: 'integer', nullable: true, description: 'Epoch milliseconds; null unless recalled.' })
  recalledAt!: number | null;

  /** Epoch milliseconds of the newest edit (its EventTime); null unless edited. */
  @ApiProperty({ type: 'integer', nullable: true, description: 'Epoch milliseconds of the newest edit (its EventTime); null unless edited.' })
  editedAt!: number | null;
}

@ApiSchema({ name: 'MessageList' })
export class MessageListView {
  @ApiProperty({ type: () => MessageView, isArray: true, description: 'Oldest first, by msgTime, then msgSeq.' })
  items!: MessageView[];
}

@ApiSchema({ name: 'Unread' })
export class UnreadView {
  @ApiProperty({ type: String, example: 'Jonh' })
  userId!: string;

  @ApiProperty({ type: 'integer', description: "The user's total unread count.", example: 7 })
  unreadMsgNum!: number;
}

/** One conversation of `GET /c2c/users/:userId/conversations`, seen from that user. */
@ApiSchema({ name: 'Conversation', description: 'One conversation, seen from the user asked about.' })
export class ConversationView {
  @ApiProperty({ type: String, example: 'Kate' })
  peer!: string;

  /** The conversation's newest message (by msgTime, then msgSeq). */
  @ApiProperty({ type: () => MessageView, description: "The conversation's newest message (by msgTime, then msgSeq, whatever its send result)." })
  lastMessage!: MessageView;

  /** Unix seconds: the user has read everything up to it; null without a read report. */
  @ApiProperty({ type: 'integer', nullable: true, description: 'Unix seconds: the user has read everything up to it; null without a read report.' })
  lastReadTime!: number | null;

  /** The peer's successful, not recalled messages to the user sent after `lastReadTime`. */
  @ApiProperty({ type: 'integer', description: "The peer's successful, not recalled messages to the user sent after lastReadTime." })
  unreadFromPeer!: number;
}

@ApiSchema({ name: 'ConversationList' })
export class ConversationListView {
  @ApiProperty({ type: () => ConversationView, isArray: true, description: 'Newest lastMessage first; empty for an unknown user.' })
  items!: ConversationView[];
}
