// The test kit lives in src/testing (see docs/testing.md).
export * from '../../src/testing/test-database.js';
