import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { signCallback } from '../../src/webhook/callback-signature.js';
import { TEST_API_TOKEN, TEST_SDKAPPID, type TestApp } from './test-app.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A fixture payload (test/fixtures/<name>.json), fresh each call so a test may change it. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as T;
}

export interface CallbackQueryOptions {
  command: string;
  sdkAppId?: string;
  /** Sign the request with this token (at `requestTime`, default now). */
  token?: string;
  requestTime?: number;
  extra?: Record<string, string>;
  path?: string;
}

/** The URL Tencent would call: /webhook?SdkAppid&CallbackCommand&contenttype&ClientIP&OptPlatform[&Sign&RequestTime]. */
export function callbackUrl(options: CallbackQueryOptions): string {
  const params = new URLSearchParams({
    SdkAppid: options.sdkAppId ?? TEST_SDKAPPID,
    CallbackCommand: options.command,
    contenttype: 'json',
    ClientIP: '203.0.113.7',
    OptPlatform: 'iOS',
  });
  if (options.token !== undefined) {
    const requestTime = options.requestTime ?? Math.floor(Date.now() / 1000);
    params.set('RequestTime', String(requestTime));
    params.set('Sign', signCallback(options.token, requestTime));
  }
  for (const [name, value] of Object.entries(options.extra ?? {})) params.set(name, value);
  return `${options.path ?? '/webhook'}?${params.toString()}`;
}

/** POSTs a payload as Tencent does, its command taken from the payload. */
export function postCallback(app: TestApp, payload: Record<string, unknown>, options: Partial<CallbackQueryOptions> = {}) {
  const command = options.command ?? String(payload.CallbackCommand);
  return request(app.server)
    .post(callbackUrl({ ...options, command, path: options.path ?? app.config.webhookPath }))
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(payload));
}

/** GET on the read API with the test bearer token. */
export function readApi(app: TestApp, path: string) {
  return request(app.server).get(path).set('Authorization', `Bearer ${TEST_API_TOKEN}`);
}

export const OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
