// The test kit: everything a test of your own listeners and handlers needs.
export * from './callback-samples.js';
export * from './callback-url.js';
export * from './dedupe-keys.js';
export * from './requests.js';
export * from './test-app.js';
export * from './test-database.js';
