import { createHash, timingSafeEqual } from 'node:crypto';
import { ForbiddenException, Injectable, SetMetadata, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import type { HttpRequest } from '../http/http-request.js';
import { AppConfig } from '../config/app-config.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface BasicAuthOptions {
  /**
   * Answer a 401 with `WWW-Authenticate: Basic realm="<realm>"`, so that a browser asks for the
   * credentials (the page itself); without it a 401 prompts nobody (the routes the page fetches).
   */
  challengeRealm?: string;
}

const BASIC_AUTH = 'tcw:api-token:basic';

/**
 * The operator's page and the routes it calls: they also take HTTP Basic with API_TOKEN as the
 * password (a browser cannot send a bearer token when it opens a page). Other routes take Bearer only.
 */
export const AcceptsBasicAuth = (options: BasicAuthOptions = {}): ClassDecorator & MethodDecorator => SetMetadata(BASIC_AUTH, options);

/** The header the operator's page sends with every request: a cross-site form cannot, and CORS is never granted. */
export const OPS_REQUEST_HEADER = 'x-ops-request';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Authorization: Bearer $API_TOKEN`; on routes marked @AcceptsBasicAuth, also HTTP Basic with
 * API_TOKEN as the password (any user name). With no API_TOKEN configured, nobody gets in. A browser
 * sends Basic credentials by itself, on any request to this host, a cross-site form's included: a
 * state-changing request authenticated that way must carry `X-Ops-Request: 1`.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.expected = config.apiToken === undefined ? undefined : digest(config.apiToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const basicAuth = this.reflector.getAllAndOverride<BasicAuthOptions | undefined>(BASIC_AUTH, [context.getHandler(), context.getClass()]);
    try {
      this.authenticate(request, basicAuth !== undefined);
    } catch (error) {
      if (error instanceof UnauthorizedException && basicAuth?.challengeRealm !== undefined) {
        this.adapterHost.httpAdapter.setHeader(context.switchToHttp().getResponse(), 'WWW-Authenticate', `Basic realm="${basicAuth.challengeRealm}", charset="UTF-8"`);
      }
      throw error;
    }
    return true;
  }

  private authenticate(request: HttpRequest, acceptsBasic: boolean): void {
    if (!this.expected) throw new UnauthorizedException('the read API is disabled: set API_TOKEN');
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? (acceptsBasic ? /^(Bearer|Basic) (.+)$/i : /^(Bearer) (.+)$/i).exec(header.trim()) : null;
    if (!match) throw new UnauthorizedException(acceptsBasic ? 'Authorization: Bearer <API_TOKEN>, or Basic with API_TOKEN as the password, is required' : 'Authorization: Bearer <API_TOKEN> is required');
    const basic = match[1]!.toLowerCase() === 'basic';
    const token = basic ? basicPassword(match[2]!) : match[2]!;
    // Equal-length digests: the comparison time says nothing about the token.
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) throw new UnauthorizedException('invalid API token');
    if (basic && !SAFE_METHODS.has((request.method ?? 'GET').toUpperCase()) && request.headers[OPS_REQUEST_HEADER] !== '1') {
      throw new ForbiddenException('a request that changes state with Basic credentials must carry the header X-Ops-Request: 1 (the operator\'s page sends it)');
    }
  }
}

/** The password of `Basic base64(user:password)`; undefined when malformed. */
function basicPassword(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}
