import { applyDecorators, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiSchema,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CallbackBodyPipe } from './callback-body.pipe.js';
import { TencentCallback, type ParsedCallback } from './incoming-callback.js';
import { SdkAppIdGuard } from './sdk-app-id.guard.js';
import { WebhookService } from './webhook.service.js';
import { ErrorEnvelope, MsgBodyElement } from '../common/openapi.js';
import type { TencentAnswer } from '../common/tencent-answer.js';
import type { BeforeAnswer } from '../decisions/before-answer.js';

/** The 200 answer, for the OpenAPI document only (TencentAnswer, or BeforeAnswer for a "before" callback). */
@ApiSchema({ name: 'CallbackAnswer', description: "Tencent's envelope; a \"before\" callback's answer may carry what the decision changes." })
class CallbackAnswerDoc {
  @ApiProperty({ type: String, enum: ['OK'], example: 'OK' })
  ActionStatus!: 'OK';

  @ApiProperty({ type: 'integer', description: '0 accepts or allows; for a "before" callback a block answers its code (1 by default) and a silent drop 2.', example: 0 })
  ErrorCode!: number;

  @ApiProperty({ type: String, example: '' })
  ErrorInfo!: string;

  @ApiPropertyOptional({ type: () => MsgBodyElement, isArray: true, description: '"Before" callbacks: the message body to send instead.' })
  MsgBody?: MsgBodyElement[];

  @ApiPropertyOptional({ type: String, description: '"Before" callbacks: the CloudCustomData to send instead.' })
  CloudCustomData?: string;

  @ApiPropertyOptional({ type: String, isArray: true, description: 'OfficialAccount.CallbackBeforeAddSubscriber: the users refused.' })
  RefusedSubscribers_Account?: string[];

  @ApiPropertyOptional({ type: String, isArray: true, description: 'Group.CallbackBeforeInviteJoinGroup: the invitees refused (the others are added).' })
  RefusedMembers_Account?: string[];
}

/** The query parameters Tencent appends to the callback URL. */
const TencentQueryParameters = (): MethodDecorator =>
  applyDecorators(
    ...[
      { name: 'SdkAppid', required: true, description: "Must be this app's SDKAppID." },
      { name: 'CallbackCommand', required: true, description: 'The command, e.g. C2C.CallbackAfterSendMsg.' },
      { name: 'contenttype', required: false, description: 'Always json.' },
      { name: 'ClientIP', required: false, description: 'The client address Tencent saw.' },
      { name: 'OptPlatform', required: false, description: 'The client platform.' },
      { name: 'RequestTime', required: false, description: 'Unix seconds; required when CALLBACK_AUTH_TOKEN is set.' },
      { name: 'Sign', required: false, description: 'SHA-256 hex of token + RequestTime; required when CALLBACK_AUTH_TOKEN is set.' },
    ].map((parameter) => ApiQuery({ ...parameter, type: String })),
  );

/** Route path comes from WEBHOOK_PATH (set by WebhookModule). */
@ApiTags('webhook')
@Controller()
export class WebhookController {
  constructor(private readonly webhook: WebhookService) {}

  @Post()
  @HttpCode(200)
  @UseGuards(SdkAppIdGuard)
  @ApiOperation({
    summary: 'The callback URL Tencent calls (path from WEBHOOK_PATH)',
    description: 'Verified (SdkAppid, Sign), validated, stored in the inbox, then dispatched to listeners before the answer. Not for the bearer token.',
  })
  @TencentQueryParameters()
  @ApiBody({ description: 'The callback body as Tencent sends it (read whatever its Content-Type).', schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ type: CallbackAnswerDoc, description: 'Accepted (new or duplicate), not modelled, or a "before" callback decided.' })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'Body not JSON, not an object, or a field fails validation (kept as rejected).' })
  @ApiUnauthorizedResponse({ type: ErrorEnvelope, description: 'Sign or RequestTime missing, wrong, or too far from now.' })
  @ApiForbiddenResponse({ type: ErrorEnvelope, description: 'SdkAppid missing or wrong, or caller not in CALLBACK_ALLOWED_IPS.' })
  @ApiPayloadTooLargeResponse({ type: ErrorEnvelope, description: 'Body over 1 MiB.' })
  @ApiServiceUnavailableResponse({ type: ErrorEnvelope, description: 'The database cannot take the callback: nothing was acknowledged.' })
  async receive(@TencentCallback(CallbackBodyPipe) callback: ParsedCallback): Promise<TencentAnswer | BeforeAnswer> {
    return this.webhook.receive(callback);
  }
}
