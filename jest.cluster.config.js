// The second half of `npm test`: the suites that show the system end to end (saga, CLI, worker
// crash) again, now against the production-like cluster over mTLS (scripts/cluster), plus the
// cluster-only fault suites in test/cluster/. test/cluster/global-setup.js starts the cluster.
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/saga.test.ts', '<rootDir>/test/cli.test.ts', '<rootDir>/test/worker-crash.test.ts', '<rootDir>/test/cluster/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/cluster/global-setup.js',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.js',
};
