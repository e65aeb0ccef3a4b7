import { readFileSync } from 'node:fs';
import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiProperty,
  ApiQuery,
  ApiSchema,
  ApiUnauthorizedResponse,
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './limit.pipe.js';

/** Swagger UI path; the JSON document is served at `${OPENAPI_PATH}-json`. */
export const OPENAPI_PATH = '/docs';
export const OPENAPI_JSON_PATH = `${OPENAPI_PATH}-json`;
/** Name of the bearer security scheme of the read and operations APIs. */
export const API_TOKEN_SECURITY = 'API_TOKEN';

/** Tencent's envelope, in which every error of every route is answered. */
@ApiSchema({ name: 'ErrorEnvelope', description: "Tencent's answer envelope: every error of every route is answered in it." })
export class ErrorEnvelope {
  @ApiProperty({ type: String, enum: ['FAIL'], example: 'FAIL' })
  ActionStatus!: 'FAIL';

  @ApiProperty({ type: 'integer', example: 1 })
  ErrorCode!: number;

  @ApiProperty({ type: String, description: 'Why, in words (never a secret).', example: 'no message 144115233406643804_1 between Jonh and Kate' })
  ErrorInfo!: string;
}

/** One element of `MsgBody`, kept as Tencent sent it. */
@ApiSchema({ name: 'MsgBodyElement', description: 'One element of Tencent\'s MsgBody, as received (element types this project does not know are kept as sent).' })
export class MsgBodyElement {
  @ApiProperty({ type: String, description: 'TIMTextElem, TIMCustomElem, TIMImageElem, ... or any other type Tencent sends.', example: 'TIMTextElem' })
  MsgType!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The element content, as received.', example: { Text: 'hello' } })
  MsgContent!: Record<string, unknown>;
}

/** Routes behind `Authorization: Bearer $API_TOKEN` (the read and operations APIs). */
export const ApiTokenAuth = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(API_TOKEN_SECURITY),
    ApiUnauthorizedResponse({ type: ErrorEnvelope, description: 'Missing or wrong bearer token, or no API_TOKEN configured (the API is then disabled).' }),
  );

/** `?limit=` of the list routes (LimitPipe). */
export const ApiLimitQuery = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      description: `How many items, from 1 to ${MAX_LIST_LIMIT}.`,
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT, default: DEFAULT_LIST_LIMIT },
    }),
    ApiBadRequestResponse({ type: ErrorEnvelope, description: `A query parameter is invalid (limit not an integer from 1 to ${MAX_LIST_LIMIT}, ...).` }),
  );

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The OpenAPI document of the app's routes. Build it once the modules are constructed (WEBHOOK_PATH is set then). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tencent Cloud Chat webhooks')
    .setDescription(
      'Read API (projections of the callbacks) and operations API (the webhook inbox), both behind `Authorization: Bearer $API_TOKEN`; ' +
        "the webhook route Tencent calls, health and metrics. Every error is answered in Tencent's envelope (ErrorEnvelope), " +
        'except health, which answers with Terminus\' body.',
    )
    .setVersion(packageVersion())
    .addSecurity(API_TOKEN_SECURITY, { type: 'http', scheme: 'bearer', description: 'The `API_TOKEN` of the service\'s configuration, as `Authorization: Bearer <API_TOKEN>`.' })
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/**
 * Serves Swagger UI at /docs and the document at /docs-json. Call it after the application is
 * created (before or after init): the document is built once, on the first request, from the
 * routes as configured.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_PATH, app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Tencent Cloud Chat webhooks: API',
  });
}
