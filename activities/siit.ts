/**
 * Siit (service desk / employee directory): POST /users → 201 {result}. Spec:
 * docs/vendor-specs/siit.openapi.yaml and BEYOND-CREATE.md. Siit has no delete: undo archives
 * (PATCH /users/{uid}/archive), never /merge, which deletes irreversibly.
 */
import { z } from 'zod';
import type { NewHire } from '../workflows/new-hire.js';
import type { VendorUserActivities } from '../workflows/vendor-contract.js';
import type { VendorsConfig } from '../config/environment.js';
import { sameEmail, vendorHttp, type VendorResponse } from './http.js';
import { getById, lookUp, restUserApi } from './rest-user-api.js';
import { createOrAdopt, undoCreatedUser, type FoundUser } from './user-lifecycle.js';

/** `user_write` + required `email`; relationship fields take UIDs. */
export const SiitCreateRequest = z.strictObject({
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  job_title: z.string(),
  job_start_date: z.iso.date(),
  preferred_language: z.string(),
  employee_number: z.string(),
  department: z.string().optional(),
  teams: z.array(z.string()).optional(),
  report_to: z.string().optional(),
  legal_entity: z.string().optional(),
  office_location: z.string().optional(),
  contract_type: z.string().optional(),
  country: z.string().optional(),
  city: z.string().optional(),
  work_phone: z.string().optional(),
});
export type SiitCreateRequest = z.infer<typeof SiitCreateRequest>;

/** What the vendor's create contract requires (docs/vendor-specs/siit.openapi.yaml): never left out. */
const REQUIRED_CREATE_FIELDS = ['email'];

export const SiitUser = z
  .object({
    uid: z.string().min(1),
    /** The spec lists all known addresses in `emails`; some answers also carry `email`. */
    emails: z.array(z.string()).optional(),
    email: z.string().optional(),
    full_name: z.string().nullable().optional(),
    role_name: z.string().nullable().optional(),
    created_at: z.string().optional(),
    archived_at: z.string().nullable().optional(),
  })
  .loose();
type SiitUser = z.infer<typeof SiitUser>;
/** Create, get, archive and the 409 duplicate answer all wrap the user in `result`. */
const SiitResult = z.object({ result: SiitUser }).loose();

const SiitList = z.object({ meta: z.object({}).loose(), results: z.array(SiitUser) }).loose();

/** Siit has no department by name (only UIDs), so `hire.department` does not travel here. */
export function toSiitCreateRequest(hire: NewHire): SiitCreateRequest {
  const s = hire.vendors.siit;
  const optional = {
    department: s.departmentUid,
    teams: s.teamUids,
    report_to: s.reportToUid,
    legal_entity: s.legalEntityUid,
    office_location: s.officeLocationUid,
    contract_type: s.contractType,
    country: s.country,
    city: s.city,
    work_phone: s.workPhone,
  };
  return {
    email: hire.email,
    first_name: hire.firstName,
    last_name: hire.lastName,
    job_title: hire.jobTitle,
    job_start_date: hire.startDate,
    preferred_language: hire.language,
    employee_number: hire.employeeId,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** Archived users are not live: an archived account is gone as far as an onboarding is concerned. */
const live = (u: SiitUser): FoundUser | undefined =>
  u.archived_at
    ? undefined
    : {
        id: u.uid,
        email: u.emails?.[0] ?? u.email,
        ...(u.full_name && { name: u.full_name }),
        ...(u.role_name && { role: u.role_name }),
        ...(u.created_at && { createdAt: u.created_at }),
      };

/** `doctor`'s read-only credentials check: one user, the smallest page. */
export function siitProbe(config: VendorsConfig['siit']): Promise<VendorResponse> {
  return vendorHttp('siit', config).send('look-up', 'GET', 'users', { searchParams: { per_page: 1 } });
}

function siitUserApi(config: VendorsConfig['siit']) {
  const http = vendorHttp('siit', config);
  return restUserApi({
    http,
    create: {
      path: 'users',
      body: toSiitCreateRequest,
      response: SiitResult,
      user: (b) => live(b.result) ?? { id: b.result.uid },
      request: SiitCreateRequest,
      required: REQUIRED_CREATE_FIELDS,
      // Siit's page: fields disabled or restricted for this tenant "cannot be set on creation";
      // which ones depends on the tenant, so SIIT_OMIT_FIELDS lists them.
      omit: config.omitFields,
    },
    // Archived users are hidden from this filter unless include_archived=true: exactly "live".
    async findByEmail(email) {
      const { results } = await lookUp(http, 'users', new URLSearchParams([['email_in[]', email]]), SiitList);
      const found = results.find((u) => [...(u.emails ?? []), u.email ?? ''].some((e) => sameEmail(e, email)) && !u.archived_at);
      return found && live(found);
    },
    // An archived user reads as gone: archiving it again would answer 200 all the same.
    findById: async (uid) => {
      const got = await getById(http, `users/${encodeURIComponent(uid)}`, SiitResult);
      return got && live(got.result);
    },
    // Archiving is reversible (PATCH /users/{uid}/unarchive), which is what an undo should be.
    remove: { method: 'PATCH', path: (uid) => `users/${encodeURIComponent(uid)}/archive` },
  });
}

export function createSiitActivities(config: VendorsConfig['siit']): VendorUserActivities {
  const api = siitUserApi(config);
  return {
    createUser: (hire) => createOrAdopt(api, hire),
    undoUser: (user) => undoCreatedUser(api, user),
  };
}
