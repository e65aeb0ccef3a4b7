import request from 'supertest';
import { callbackQuery } from './callback-url.js';
import { TEST_API_TOKEN, TEST_SDKAPPID, type TestApp } from './test-app.js';

export interface CallbackQueryOptions {
  command: string;
  sdkAppId?: string;
  /** Sign the request with this token (at `requestTime`, default now). */
  token?: string;
  requestTime?: number;
  extra?: Record<string, string>;
  path?: string;
}

/** The path and query Tencent would call: /webhook?SdkAppid&CallbackCommand&contenttype&ClientIP&OptPlatform[&Sign&RequestTime]. */
export function callbackPath(options: CallbackQueryOptions): string {
  const { command, token, requestTime, extra } = options;
  return `${options.path ?? '/webhook'}?${callbackQuery({ command, sdkAppId: options.sdkAppId ?? TEST_SDKAPPID, token, requestTime, extra }).toString()}`;
}

/** POSTs a payload as Tencent does, its command taken from the payload. */
export function postCallback(app: TestApp, payload: Record<string, unknown>, options: Partial<CallbackQueryOptions> = {}) {
  const command = options.command ?? String(payload.CallbackCommand);
  return request(app.server)
    .post(callbackPath({ ...options, command, path: options.path ?? app.config.webhookPath }))
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(payload));
}

/** GET on the read API with the test bearer token. */
export function readApi(app: TestApp, path: string) {
  return request(app.server).get(path).set('Authorization', `Bearer ${TEST_API_TOKEN}`);
}

export const OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
