import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WebhookModule } from '../webhook/webhook.module.js';
import { ProjectionFeatureModule, type ProjectionDefinition } from './projection.js';
import { ProjectionRebuildRepository } from './projection-rebuild.repository.js';
import { ProjectionRebuildService } from './projection-rebuild.service.js';
import { ProjectionRebuildsController } from './projection-rebuilds.controller.js';

/**
 * Rebuilding a family's projection from the stored callbacks (route and CLI). It imports no family:
 * each registers its tables and listener with `ProjectionsModule.forFeature` in its own module.
 */
@Module({
  imports: [WebhookModule, DiscoveryModule],
  controllers: [ProjectionRebuildsController],
  providers: [ProjectionRebuildService, ProjectionRebuildRepository],
  exports: [ProjectionRebuildService],
})
export class ProjectionsModule {
  /** Registers what a family projects (its tables and listener): import it in the family's module. */
  static forFeature(projection: ProjectionDefinition): DynamicModule {
    return ProjectionFeatureModule.forFeature(projection);
  }
}
