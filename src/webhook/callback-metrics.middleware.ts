import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from '../metrics/metrics.service.js';
import { CallbackRegistry } from './commands/callback-registry.js';
import { OUTCOME_LOCAL } from './incoming-callback.js';

const OUTCOME_BY_STATUS: Record<number, string> = { 400: 'malformed', 401: 'unauthorized', 403: 'forbidden', 413: 'too_large', 503: 'unavailable' };

/** Times every webhook request from its first byte to its answer and counts it by command and outcome. */
@Injectable()
export class CallbackMetricsMiddleware implements NestMiddleware {
  constructor(
    private readonly metrics: MetricsService,
    private readonly registry: CallbackRegistry,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const reported = res.locals[OUTCOME_LOCAL] as string | undefined;
      const outcome = reported ?? OUTCOME_BY_STATUS[res.statusCode] ?? (res.statusCode >= 500 ? 'error' : res.statusCode < 300 ? 'accepted' : 'refused');
      this.metrics.observeCallback(this.commandLabel(req), outcome, seconds);
    });
    next();
  }

  /** Only known commands become label values: anyone can put anything in the query string. */
  private commandLabel(req: Request): string {
    const command = (req.query as Record<string, unknown>).CallbackCommand;
    if (typeof command !== 'string') return 'none';
    return this.registry.find(command) || this.registry.findBefore(command) ? command : 'other';
  }
}
