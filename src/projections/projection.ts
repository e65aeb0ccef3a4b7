import type { DynamicModule, Type } from '@nestjs/common';
import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { CallbackFamily } from '../webhook/commands/callback-family.js';

/**
 * What a family projects: the tables its listener writes, all computed from its stored callbacks,
 * so that emptying them and feeding the callbacks again rebuilds them.
 */
export interface ProjectionDefinition {
  readonly family: CallbackFamily;
  /** Every table the listener writes, and only those: a rebuild empties them. */
  readonly tables: readonly PgTable[];
  /** The family's own listener: its `@OnDomainEvent` methods are what a rebuild calls. */
  readonly listener: Type<object>;
}

/** The provider `ProjectionsModule.forFeature` registers: what the rebuild service discovers. */
export class RegisteredProjection {
  constructor(readonly projection: ProjectionDefinition) {}
}

/**
 * Registers a family's projection in the family's module, as `WebhookModule.forFeature` does for
 * its commands: the projections folder never imports a family.
 */
export class ProjectionFeatureModule {
  static forFeature(projection: ProjectionDefinition): DynamicModule {
    return {
      module: ProjectionFeatureModule,
      providers: [{ provide: `projection:${projection.family.name}`, useValue: new RegisteredProjection(projection) }],
    };
  }
}

/** Every table a schema module (`import * as schema from './x.schema.js'`) declares: a family's projection tables, none forgotten. */
export function tablesOf(schemaModule: Record<string, unknown>): PgTable[] {
  return Object.values(schemaModule).filter((value): value is PgTable => is(value, PgTable));
}
