import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { AppConfig, HttpPlatformName } from '../config/app-config.js';
import type { HttpRequest } from './http-request.js';

/** What the platform tells the observers once a request is answered (or its client went away). */
export interface AnsweredRequest {
  /** The request object handlers get through `@Req()`: the key of request notes. */
  readonly request: object;
  readonly id: string;
  readonly method: string;
  /** As received, query string included: observers must not log it (it may carry Sign). */
  readonly url: string;
  readonly query: Record<string, unknown>;
  /** The status sent; for an aborted request, the status that was set when the client left. */
  readonly statusCode: number;
  readonly elapsedMs: number;
  readonly aborted: boolean;
  /** The route Tencent calls (POST WEBHOOK_PATH). */
  readonly isWebhook: boolean;
}

export type AnswerObserver = (answered: AnsweredRequest) => void;

export interface HttpSetup {
  readonly config: AppConfig;
  /** Called once per request after its answer, in order; the access log and the callback metrics. */
  readonly observers: readonly AnswerObserver[];
  /**
   * Run on every webhook request before its body is read; what it throws is answered (in the
   * envelope, through the exception filters) and the connection closed, the body never read.
   */
  readonly beforeWebhookBody: (request: HttpRequest) => void;
}

/**
 * The one seam between the service and its HTTP platform. Everything outside src/http uses Nest's
 * own abstractions (guards, pipes, filters through HttpAdapterHost, `@Req()` as `HttpRequest`).
 */
export interface HttpPlatform {
  readonly name: HttpPlatformName;
  createAdapter(config: AppConfig): AbstractHttpAdapter;
  /**
   * Before app.init(): request ids, body reading (the webhook's as bytes whatever its type, JSON for
   * other routes, 413 past the limit, every error in the envelope), observers, server timeouts.
   */
  configure(app: INestApplication, setup: HttpSetup): HttpControls;
}

export interface HttpControls {
  /** From now on, every answer closes its connection (graceful shutdown). */
  closeConnectionsAfterAnswers(): void;
  /** With OPS_PORT: the server for /metrics, /docs* and /health*, not yet listening. */
  readonly opsServer: Server | undefined;
}

/** Loads only the chosen platform's packages. */
export async function loadHttpPlatform(name: HttpPlatformName): Promise<HttpPlatform> {
  switch (name) {
    case 'express':
      return (await import('./express-platform.js')).expressPlatform;
    case 'fastify':
      return (await import('./fastify-platform.js')).fastifyPlatform;
  }
}
