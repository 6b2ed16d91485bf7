/** A smaller run of sandbox/load-check.ts (the full 10,000-request figure is in sandbox/README.md). */
import { expect, test } from '@jest/globals';
import { runLoadCheck } from '../../sandbox/load-check.js';

test('2,000 mixed requests are all served as expected, with no error of the sandbox', async () => {
  const result = await runLoadCheck(2_000, 16);
  console.log(`load check: ${result.requests} requests, ${result.perSecond} requests/s, statuses ${JSON.stringify(result.statuses)}`);
  expect(result.requests).toBe(2_000);
  expect(result.unexpected).toEqual([]);
  expect(result.sandboxErrors).toBe(0);
});
