/**
 * NetBird (VPN access): POST /users invites a regular user. Spec: docs/vendor-specs/netbird.openapi.yaml,
 * BEYOND-CREATE.md (409 on a taken email, DELETE /users/{id}, look-up by listing all users).
 */
import { z } from 'zod';
import type { NewHire } from '../workflows/new-hire.js';
import type { VendorUserActivities } from '../workflows/vendor-contract.js';
import type { VendorsConfig } from '../config/environment.js';
import { sameEmail, vendorHttp, type VendorResponse } from './http.js';
import { lookUp, restUserApi } from './rest-user-api.js';
import { createOrAdopt, undoCreatedUser, type FoundUser } from './user-lifecycle.js';

export const NetbirdCreateRequest = z.strictObject({
  email: z.string(),
  name: z.string(),
  role: z.string(),
  auto_groups: z.array(z.string()),
  is_service_user: z.boolean(),
});
export type NetbirdCreateRequest = z.infer<typeof NetbirdCreateRequest>;

/** What the vendor's create contract requires (docs/vendor-specs/netbird.openapi.yaml): never left out. */
const REQUIRED_CREATE_FIELDS = ['email', 'name', 'role', 'auto_groups', 'is_service_user'];

/** The fields of the spec's User we rely on ("disabled" is the old name of "blocked"). */
export const NetbirdUser = z
  .object({
    id: z.string().min(1),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    status: z.enum(['active', 'invited', 'blocked', 'disabled']),
    auto_groups: z.array(z.string()),
    is_service_user: z.boolean().optional(),
  })
  .loose();

export function toNetbirdCreateRequest(hire: NewHire): NetbirdCreateRequest {
  const { role, autoGroups } = hire.vendors.netbird;
  return { email: hire.email, name: `${hire.firstName} ${hire.lastName}`, role, auto_groups: autoGroups, is_service_user: false };
}

const found = (u: z.infer<typeof NetbirdUser> | undefined): FoundUser | undefined => u && { id: u.id, email: u.email, name: u.name, role: u.role };

/** `doctor`'s read-only credentials check: NetBird's user list has no paging, so the people list it is. */
export function netbirdProbe(config: VendorsConfig['netbird']): Promise<VendorResponse> {
  return vendorHttp('netbird', config).send('look-up', 'GET', 'users', { searchParams: { service_user: 'false' } });
}

function netbirdUserApi(config: VendorsConfig['netbird']) {
  const http = vendorHttp('netbird', config);
  const people = async () => (await lookUp(http, 'users', { service_user: 'false' }, z.array(NetbirdUser))).filter((u) => !u.is_service_user);
  return restUserApi({
    http,
    create: {
      path: 'users',
      body: toNetbirdCreateRequest,
      response: NetbirdUser,
      user: (u) => ({ id: u.id, email: u.email }),
      request: NetbirdCreateRequest,
      required: REQUIRED_CREATE_FIELDS,
      omit: config.omitFields,
    },
    // No search endpoint and no GET by id [doc]: the list of people is unpaged, so filter it here.
    findByEmail: async (email) => found((await people()).find((u) => sameEmail(u.email, email))),
    findById: async (id) => found((await people()).find((u) => u.id === id)),
    remove: { method: 'DELETE', path: (id) => `users/${encodeURIComponent(id)}` },
  });
}

export function createNetbirdActivities(config: VendorsConfig['netbird']): VendorUserActivities {
  const api = netbirdUserApi(config);
  return {
    createUser: (hire) => createOrAdopt(api, hire),
    undoUser: (user) => undoCreatedUser(api, user),
  };
}
