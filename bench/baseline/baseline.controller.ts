import { Body, Controller, HttpCode, Post } from '@nestjs/common';

/** Tencent's OK envelope, the answer every accepted callback gets. */
export const OK_ANSWER = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' } as const;

/** The least a realistic Nest endpoint does: route, parse the JSON body, answer. */
@Controller()
export class BaselineController {
  @Post('webhook')
  @HttpCode(200)
  receive(@Body() _body: unknown): typeof OK_ANSWER {
    return OK_ANSWER;
  }
}
