import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service.js';
import { InboxRepository } from './inbox.repository.js';
import { INBOX_STATUSES } from './inbox.schema.js';

/** `tcw_inbox_rows{status}`, counted when Prometheus scrapes. */
@Injectable()
export class InboxMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly inbox: InboxRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('tcw_inbox_rows', 'Inbox rows by status (failed and dead are the backlog to watch)', ['status'], async (set) => {
      const counts = await this.inbox.countByStatus();
      for (const status of INBOX_STATUSES) set({ status }, counts[status] ?? 0);
    });
  }
}
