/**
 * The fault suite: each file starts a graph of its own processes (and kills them), so files run one
 * at a time, after the other tests, with the machine to themselves. Skipped without MySQL and Redis.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 600000,
};
