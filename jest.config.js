// ESM jest setup for ESM-only Nest on Node 20 (see docs/testing.md): swc transpiles, tsc type-checks separately.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'es6' },
};

const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/examples/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
};

// The same suites run on embedded PGlite and, when TEST_DATABASE_URL is set, on that PostgreSQL server.
const projects = [
  { ...base, displayName: 'pglite', setupFiles: ['<rootDir>/test/setup/use-pglite.ts'] },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({ ...base, displayName: 'postgres', setupFiles: ['<rootDir>/test/setup/use-postgres.ts'] });
}

// `test:e2e:platform` (the second platform's run in .ci/run) leaves out the specs whose subject is below
// the HTTP adapter: a family's projections, the inbox's claims and recovery, the relay, the CLI.
// They run on Express against both databases; every other e2e spec (routes, guards, answers, body
// parsing, shutdown, the ops port) runs on both platforms, and a new spec does too unless listed here.
export const PLATFORM_INDEPENDENT_SPECS = [
  'callback-cli', 'c2c-msg-extension', 'c2c-read-recall-edit', 'custom-family', 'data-dir-lock', 'dedupe-keys',
  'event-relay', 'event-relay-crash', 'group-callbacks', 'group-projections', 'inbox-claims', 'inbox-recovery',
  'multi-instance', 'node20-dependencies', 'official-account-profile', 'older-payloads', 'presence', 'property',
  'query-plans', 'queryable-payloads', 'user-listener', 'write-batching',
];
if (process.env.E2E_PLATFORM_ONLY === '1') {
  for (const project of projects) {
    project.testPathIgnorePatterns = ['/node_modules/', ...PLATFORM_INDEPENDENT_SPECS.map((name) => `/test/${name}\\.e2e-spec\\.ts$`)];
  }
}

export default { projects, testTimeout: 30000 };
