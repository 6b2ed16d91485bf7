// ESM jest: got 14 is ESM-only and CommonJS jest cannot `require` it on Node 20, so the whole
// project is `"type": "module"` and jest runs with --experimental-vm-modules (see package.json).
// The mapper strips the `.js` suffixes that nodenext resolution makes us write in imports.
import { createDefaultEsmPreset } from 'ts-jest';

export default {
  ...createDefaultEsmPreset({ tsconfig: 'tsconfig.json' }),
  testEnvironment: 'node',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Cluster-only suites run in the second pass (jest.cluster.config.js), against the mTLS cluster.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  // Integration suites share one dev server; two cores do not gain from parallel suites that
  // each drive a Temporal worker, and serial runs keep timing-sensitive tests honest.
  maxWorkers: 1,
  testTimeout: 120_000,
};
