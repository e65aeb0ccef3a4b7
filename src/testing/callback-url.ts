import { signCallback } from '../webhook/callback-signature.js';

export { signCallback };

export interface CallbackUrlOptions {
  command: string;
  sdkAppId: string;
  /** Sign as Tencent does (Sign + RequestTime) with this token. */
  token?: string;
  /** Unix seconds; default now. */
  requestTime?: number;
  clientIp?: string;
  optPlatform?: string;
  /** More query parameters, or overrides. */
  extra?: Record<string, string>;
}

/** The query string Tencent puts on a callback: SdkAppid, CallbackCommand, contenttype, ClientIP, OptPlatform[, Sign, RequestTime]. */
export function callbackQuery(options: CallbackUrlOptions): URLSearchParams {
  const params = new URLSearchParams({
    SdkAppid: options.sdkAppId,
    CallbackCommand: options.command,
    contenttype: 'json',
    ClientIP: options.clientIp ?? '203.0.113.7',
    OptPlatform: options.optPlatform ?? 'iOS',
  });
  if (options.token !== undefined) {
    const requestTime = options.requestTime ?? Math.floor(Date.now() / 1000);
    params.set('RequestTime', String(requestTime));
    params.set('Sign', signCallback(options.token, requestTime));
  }
  for (const [name, value] of Object.entries(options.extra ?? {})) params.set(name, value);
  return params;
}

/** `base` (a path like /webhook or a full URL) with the callback's query string. */
export function callbackUrl(base: string, options: CallbackUrlOptions): string {
  return `${base}${base.includes('?') ? '&' : '?'}${callbackQuery(options).toString()}`;
}
