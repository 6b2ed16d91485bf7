/**
 * Partoo (business presence): POST /user → 200 {id, status}. Spec: docs/vendor-specs/partoo.openapi.yaml,
 * BEYOND-CREATE.md. The user is created `invited` without its email: the invitation is held by the
 * workflow and sent by `sendInvite` (POST /user/{id}/invite) once approved.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context, log } from '@temporalio/activity';
import { z } from 'zod';
import { PARTOO_LANGS, type NewHire } from '../workflows/new-hire.js';
import type { InviteOutcome, VendorActivities, VendorUser } from '../workflows/vendor-contract.js';
import type { VendorsConfig } from '../config/environment.js';
import { isSuccess, sameEmail, vendorFailure, VendorErrorType, vendorHttp, type VendorResponse } from './http.js';
import { getById, lookUp, restUserApi } from './rest-user-api.js';
import { createOrAdopt, undoCreatedUser, type FoundUser } from './user-lifecycle.js';

type PartooLang = (typeof PARTOO_LANGS)[number];

export const PartooCreateRequest = z.strictObject({
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  role: z.string(),
  org_id: z.number().int().optional(),
  business_ids: z.array(z.string()).optional(),
  lang: z.enum(PARTOO_LANGS).optional(),
  send_invitation: z.literal(false),
  status: z.literal('invited'),
});
export type PartooCreateRequest = z.infer<typeof PartooCreateRequest>;

/** What the vendor's create contract requires (docs/vendor-specs/partoo.openapi.yaml): never left out. */
const REQUIRED_CREATE_FIELDS = ['email', 'first_name', 'last_name', 'send_invitation', 'status'];

const PartooCreated = z.object({ id: z.string().min(1), status: z.literal('success') }).loose();
const PartooUser = z
  .object({
    id: z.string().min(1),
    email: z.string(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    role: z.string().optional(),
    status: z.enum(['active', 'invited']).optional(),
    /** Seconds since the epoch. */
    created_at: z.number().optional(),
  })
  .loose();

function found(u: z.infer<typeof PartooUser>): FoundUser {
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ');
  return {
    id: u.id,
    email: u.email,
    ...(name && { name }),
    ...(u.role && { role: u.role }),
    ...(u.created_at !== undefined && { createdAt: new Date(u.created_at * 1000).toISOString() }),
  };
}
const PartooSearch = z.object({ users: z.array(PartooUser) }).loose();

/** Partoo's language from the hire's tag: `fr-FR` → fr, `pt-BR` → pt-br; unsupported → Partoo's default. */
export function partooLang(language: string): PartooLang | undefined {
  const tag = language.toLowerCase();
  const supported = PARTOO_LANGS as readonly string[];
  if (supported.includes(tag)) return tag as PartooLang;
  const primary = tag.split('-')[0]!;
  return supported.includes(primary) ? (primary as PartooLang) : undefined;
}

export function toPartooCreateRequest(hire: NewHire): PartooCreateRequest {
  const p = hire.vendors.partoo;
  const lang = p.lang ?? partooLang(hire.language);
  return {
    email: hire.email,
    first_name: hire.firstName,
    last_name: hire.lastName,
    role: p.role,
    ...(p.orgId !== undefined && { org_id: p.orgId }),
    // Partoo reads business_ids only for BUSINESS_MANAGER users.
    ...(p.role === 'BUSINESS_MANAGER' && p.businessIds.length > 0 && { business_ids: p.businessIds }),
    ...(lang && { lang }),
    // Held invitation: an `invited` user without the email; sendInvite sends it later.
    send_invitation: false,
    status: 'invited',
  };
}

/** `doctor`'s read-only credentials check: one user, the smallest page of the search. */
export function partooProbe(config: VendorsConfig['partoo']): Promise<VendorResponse> {
  return vendorHttp('partoo', config).send('look-up', 'GET', 'user/search', { searchParams: { per_page: 1 } });
}

export function createPartooActivities(config: VendorsConfig['partoo']): VendorActivities['partoo'] {
  const http = vendorHttp('partoo', config);
  const api = restUserApi({
    http,
    create: {
      path: 'user',
      body: toPartooCreateRequest,
      response: PartooCreated,
      user: (b) => ({ id: b.id }),
      request: PartooCreateRequest,
      required: REQUIRED_CREATE_FIELDS,
      omit: config.omitFields,
    },
    async findByEmail(email) {
      // Partoo's search is an exact, case-insensitive match; compare again to be sure.
      const { users } = await lookUp(http, 'user/search', { email }, PartooSearch);
      const match = users.find((u) => sameEmail(u.email, email));
      return match && found(match);
    },
    findById: async (id) => {
      const user = await getById(http, `user/${encodeURIComponent(id)}`, PartooUser);
      return user && found(user);
    },
    remove: { method: 'DELETE', path: (id) => `user/${encodeURIComponent(id)}` },
  });

  /**
   * Idempotent: a retry after a lost response must not fail the saga. Partoo documents neither
   * the refusal of an invitation sent too soon (at most one per 5 minutes) nor that of a user who
   * already accepted, so a 400 is decided by what the user's state shows, not by its wording:
   * - the user is no longer `invited` (accepted) → the invitation has done its job: already-sent;
   * - still `invited` on a retry → our earlier attempt went out (its answer was lost, and a
   *   second one within 5 minutes is refused): already-sent;
   * - still `invited` on the first attempt → the refusal stands (classifier).
   */
  async function sendInvite(user: VendorUser): Promise<InviteOutcome> {
    if (user.vendor !== 'partoo') {
      throw ApplicationFailure.create({ message: `Partoo invite got a ${user.vendor} user`, type: VendorErrorType.InvalidInput, nonRetryable: true });
    }
    const res = await http.send('invite', 'POST', `user/${encodeURIComponent(user.id)}/invite`);
    if (isSuccess(res)) {
      log.info('Partoo invitation sent', { vendor: 'partoo', userId: user.id });
      return 'sent';
    }
    if (res.status === 400) {
      const now = await getById(http, `user/${encodeURIComponent(user.id)}`, PartooUser);
      const attempt = Context.current().info.attempt;
      if (now && (now.status !== 'invited' || attempt > 1)) {
        log.info('Partoo invitation already sent', { vendor: 'partoo', userId: user.id, userStatus: now.status, attempt });
        return 'already-sent';
      }
    }
    throw vendorFailure('partoo', 'invite', res);
  }

  return {
    createUser: (hire) => createOrAdopt(api, hire),
    undoUser: (user) => undoCreatedUser(api, user),
    sendInvite,
  };
}
