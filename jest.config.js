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

export default { projects, testTimeout: 30000 };
