/**
 * What the saga is measured against: the same HTTP work without Temporal, as a script would do it
 * (five creates in parallel, then the Partoo invitation), with the same request bodies, over a
 * kept-alive connection. No retries, no record, no rollback.
 */
import got from 'got';
import { toMeetbitCreateRequest } from '../activities/meetbit.js';
import { toMeetergoCreateRequest } from '../activities/meetergo.js';
import { toNetbirdCreateRequest } from '../activities/netbird.js';
import { toPartooCreateRequest } from '../activities/partoo.js';
import { toSiitCreateRequest } from '../activities/siit.js';
import { authHeaders } from '../sandbox/credentials.js';
import type { NewHire } from '../workflows/new-hire.js';
import type { VendorName } from '../workflows/vendors.js';

export async function plainScript(urls: Record<VendorName, string>, hire: NewHire): Promise<void> {
  const post = (vendor: VendorName, path: string, json?: unknown) =>
    got.post(`${urls[vendor]}/${path}`, { headers: authHeaders(vendor), json, retry: { limit: 0 } }).json<Record<string, unknown>>();
  const [, , , , partoo] = await Promise.all([
    post('netbird', 'users', toNetbirdCreateRequest(hire)),
    post('siit', 'users', toSiitCreateRequest(hire)),
    post('meetbit', 'users', toMeetbitCreateRequest(hire)),
    post('meetergo', 'user', toMeetergoCreateRequest(hire)),
    post('partoo', 'user', toPartooCreateRequest(hire)),
  ]);
  await post('partoo', `user/${partoo.id}/invite`);
}
