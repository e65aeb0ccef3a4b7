import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/** One more readiness check, reported under its own key of `/health`. */
export type HealthContribution = (indicators: HealthIndicatorService) => Promise<HealthIndicatorResult>;

/**
 * Checks other modules add to `/health` (the event relay's broker, for example) without the health
 * module knowing them: a module imports HealthModule and calls `add` when it starts.
 */
@Injectable()
export class HealthContributions {
  private readonly checks: HealthContribution[] = [];

  add(check: HealthContribution): void {
    this.checks.push(check);
  }

  all(): readonly HealthContribution[] {
    return this.checks;
  }
}
