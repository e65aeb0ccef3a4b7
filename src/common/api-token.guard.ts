import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from '../http/http-request.js';
import { AppConfig } from '../config/app-config.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** `Authorization: Bearer $API_TOKEN`; with no API_TOKEN configured, nobody gets in. */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(config: AppConfig) {
    this.expected = config.apiToken === undefined ? undefined : digest(config.apiToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new UnauthorizedException('the read API is disabled: set API_TOKEN');
    const header = context.switchToHttp().getRequest<HttpRequest>().headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (.+)$/i.exec(header.trim()) : null;
    if (!match) throw new UnauthorizedException('Authorization: Bearer <API_TOKEN> is required');
    // Equal-length digests: the comparison time says nothing about the token.
    if (!timingSafeEqual(digest(match[1]!), this.expected)) throw new UnauthorizedException('invalid API token');
    return true;
  }
}
