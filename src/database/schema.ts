// The whole schema, for drizzle-kit and for typed queries; each table lives in its feature folder.
export * from '../webhook/inbox/inbox.schema.js';
export * from '../webhook/operations/inbox-replay.schema.js';
export * from '../c2c/c2c.schema.js';
export * from '../official-account/official-account.schema.js';
export * from '../presence/presence.schema.js';
export * from '../group/group.schema.js';
export * from '../relay/relay.schema.js';
export * from '../projections/projection-rebuilds.schema.js';
