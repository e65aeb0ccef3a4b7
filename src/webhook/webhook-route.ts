import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks the route Tencent calls: its body is read as bytes, and it is timed and counted by command. */
    tencentWebhook?: boolean;
  }
}

/** On the webhook's handler: a mark that survives whatever path WEBHOOK_PATH gives it. */
export const TencentWebhookRoute = (): MethodDecorator => RouteConfig({ tencentWebhook: true });

export const isWebhookRoute = (request: FastifyRequest): boolean => request.routeOptions.config?.tencentWebhook === true;
