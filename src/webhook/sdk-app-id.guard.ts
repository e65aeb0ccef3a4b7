import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from '../http/http-request.js';
import { AppConfig } from '../config/app-config.js';
import { isRepeated, singleParam } from './callback-query.js';
import { verifyCallbackSignature } from './callback-signature.js';
import { CallerAllowList } from './caller-allow-list.js';

/**
 * The callback comes from an allowed address (CALLBACK_ALLOWED_IPS, else 403), is for this app
 * (SdkAppid, else 403) and, when a token is configured, is signed by Tencent within the replay
 * window (else 401).
 */
@Injectable()
export class SdkAppIdGuard implements CanActivate {
  private readonly allowList: CallerAllowList;

  constructor(private readonly config: AppConfig) {
    this.allowList = new CallerAllowList(config.allowedIps);
  }

  canActivate(context: ExecutionContext): boolean {
    this.check(context.switchToHttp().getRequest<HttpRequest>());
    return true;
  }

  /**
   * Throws the refusal (403 or 401) for a request that is not an authenticated callback of this
   * app. From the query string, headers and address alone: the HTTP platform also runs it before
   * the body is read (createApp), so that a refused caller's body is never buffered.
   */
  readonly check = (request: HttpRequest): void => {
    // req.ip is the socket's peer, or the X-Forwarded-For client when TRUST_PROXY trusts the proxy
    // (a getter that walks X-Forwarded-For: read only when there is a list).
    if (this.allowList.enabled && !this.allowList.allows(request.ip)) throw new ForbiddenException('caller address is not in CALLBACK_ALLOWED_IPS');
    const query = request.query;
    if (isRepeated(query, 'SdkAppid')) throw new ForbiddenException('SdkAppid must be given once');
    const sdkAppId = singleParam(query, 'SdkAppid');
    if (sdkAppId === undefined || sdkAppId === '') throw new ForbiddenException('SdkAppid is missing');
    if (sdkAppId !== this.config.sdkAppId) throw new ForbiddenException('SdkAppid is not this app\'s SDKAppID');

    if (this.config.callbackAuthTokens.length === 0) return;
    if (isRepeated(query, 'Sign') || isRepeated(query, 'RequestTime')) {
      throw new UnauthorizedException('Sign and RequestTime must be given once');
    }
    const verdict = verifyCallbackSignature({
      sign: singleParam(query, 'Sign'),
      requestTime: singleParam(query, 'RequestTime'),
      tokens: this.config.callbackAuthTokens,
      maxSkewSeconds: this.config.callbackMaxSkewSeconds,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (!verdict.valid) throw new UnauthorizedException(verdict.reason);
  };
}
