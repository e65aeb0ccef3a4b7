import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpStatus } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { failure } from '../common/tencent-answer.js';
import type { AppConfig } from '../config/app-config.js';
import { MAX_ID_LENGTH } from '../webhook/dto/validators.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
// Tencent keeps connections alive: outlive its idle connections rather than race them.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// Node's own default, which the server had on Express; Fastify's default (0) waits forever for a
// request that trickles in.
const REQUEST_TIMEOUT_MS = 300_000;
// A read route's id may be as long as the webhook accepts, percent-encoded: up to 9 characters
// (three UTF-8 bytes) per UTF-16 unit. Fastify's default of 100 answered such reads 414.
const MAX_PARAM_LENGTH = MAX_ID_LENGTH * 9;

/**
 * Nest on Fastify rather than Express: measured with `npm run bench` (same machine, same traffic),
 * the service's CPU per callback fell by a third to a half (docs/architecture.md, "HTTP: Nest on
 * Fastify").
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    // Behind a proxy, request.ip (checked against CALLBACK_ALLOWED_IPS) comes from X-Forwarded-For.
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: config.bodyLimitBytes,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // The request id of the access log: the caller's X-Request-Id when it is well-formed, else new.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // The router's own refusals (a malformed percent-encoding in the path) in the envelope too.
    frameworkErrors: (error: { statusCode?: number }, _request: FastifyRequest, reply: FastifyReply) => {
      void reply.code(error.statusCode ?? HttpStatus.BAD_REQUEST).send(failure('the request URL is malformed'));
    },
    // As on Express: a trailing slash and the case of the path make no difference.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: MAX_PARAM_LENGTH },
  });
}

/** TRUST_PROXY as Express read it: a number trusts that many hops (Fastify would trust none). */
function trustProxyOption(value: AppConfig['trustProxy']): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/**
 * The webhook's bodies (`readsBytes`) are read as bytes, whatever the Content-Type: the webhook
 * decodes and validates its own (strict UTF-8, depth limit, `__proto__` keys dropped), so that
 * every malformed body is answered in the envelope. Other routes (yours) get JSON bodies parsed.
 */
export function registerBodyParser(fastify: FastifyInstance, readsBytes: (request: FastifyRequest) => boolean): void {
  // Fastify refuses a malformed Content-Type (415) before any parser runs; these routes ignore it.
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (readsBytes(request)) request.headers['content-type'] = undefined;
    done();
  });
  // Fastify's own JSON parser for the other routes: it refuses `__proto__` and `constructor` keys.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => {
    if (readsBytes(request) || !isJson(request.headers['content-type'])) return done(null, body);
    void parseJson(request, body.toString('utf8'), done);
  });
}

const isJson = (contentType: string | undefined): boolean => contentType !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(contentType);
