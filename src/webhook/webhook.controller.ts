import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CallbackBodyPipe } from './callback-body.pipe.js';
import { TencentCallback, type ParsedCallback } from './incoming-callback.js';
import { SdkAppIdGuard } from './sdk-app-id.guard.js';
import { WebhookService } from './webhook.service.js';
import type { TencentAnswer } from '../common/tencent-answer.js';
import type { BeforeAnswer } from '../decisions/before-answer.js';

/** Route path comes from WEBHOOK_PATH (set by WebhookModule). */
@Controller()
export class WebhookController {
  constructor(private readonly webhook: WebhookService) {}

  @Post()
  @HttpCode(200)
  @UseGuards(SdkAppIdGuard)
  async receive(@TencentCallback(CallbackBodyPipe) callback: ParsedCallback): Promise<TencentAnswer | BeforeAnswer> {
    return this.webhook.receive(callback);
  }
}
