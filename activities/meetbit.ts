/**
 * MeetBit (scheduling: department, role, work hours): POST /users → 200 {message, data}. Spec:
 * docs/vendor-specs/meetbit.openapi.yaml and BEYOND-CREATE.md (400 `errors.email` on a taken email
 * [guess], look-up by filter, soft deletes, undo by DELETE [guess]).
 */
import { z } from 'zod';
import { WEEKDAYS, type NewHire } from '../workflows/new-hire.js';
import type { VendorUserActivities } from '../workflows/vendor-contract.js';
import type { VendorsConfig } from '../config/environment.js';
import { sameEmail, vendorHttp, type VendorResponse } from './http.js';
import { getById, lookUp, restUserApi } from './rest-user-api.js';
import { createOrAdopt, undoCreatedUser, type FoundUser } from './user-lifecycle.js';

const Time = z.strictObject({ hour: z.number().int(), minute: z.number().int(), second: z.number().int() });
const WorkHour = z.strictObject({ start: Time, end: Time });

export const MeetbitCreateRequest = z.strictObject({
  activate: z.literal(true).optional(),
  department_id: z.number().int(),
  first_name: z.string().max(255),
  last_name: z.string().max(255),
  email: z.string().max(255),
  timezone: z.string(),
  role: z.string(),
  work_hours: z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(WorkHour)])) as Record<(typeof WEEKDAYS)[number], z.ZodArray<typeof WorkHour>>),
});
export type MeetbitCreateRequest = z.infer<typeof MeetbitCreateRequest>;

/** What the vendor's create contract requires (docs/vendor-specs/meetbit.openapi.yaml): never left out. */
const REQUIRED_CREATE_FIELDS = ['department_id', 'first_name', 'last_name', 'email', 'timezone', 'role', 'work_hours'];

export const MeetbitUser = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string().optional(),
    role: z.string().optional(),
    created_at: z.string().optional(),
    deleted_at: z.string().nullable().optional(),
  })
  .loose();
type MeetbitUser = z.infer<typeof MeetbitUser>;
const MeetbitOne = z.object({ data: MeetbitUser }).loose();

/** Soft-deleted users are not live. */
const live = (u: MeetbitUser): FoundUser | undefined =>
  u.deleted_at
    ? undefined
    : { id: String(u.id), email: u.email, ...(u.name && { name: u.name }), ...(u.role && { role: u.role }), ...(u.created_at && { createdAt: u.created_at }) };

function time(hhmm: string) {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  return { hour, minute, second: 0 };
}

/**
 * Without `activate` (MeetBit's default, false) the user starts "Invited" and MeetBit mails its
 * own invitation, which is how the hire sets a password; that needs only `users.create.*`.
 * `activate` is sent only when the input asks for it: it needs `users.lock.*`, which a key made
 * for onboarding should not need. `is_silent` is never sent: it requires `activate` and would
 * leave an active account nobody was told about. Only Partoo's invite is held.
 */
export function toMeetbitCreateRequest(hire: NewHire): MeetbitCreateRequest {
  const { departmentId, role, activate } = hire.vendors.meetbit;
  if (departmentId === undefined) throw new TypeError('vendors.meetbit.departmentId is required while MeetBit is enabled');
  return {
    ...(activate && { activate: true as const }),
    department_id: departmentId,
    first_name: hire.firstName,
    last_name: hire.lastName,
    email: hire.email,
    timezone: hire.timezone,
    role,
    work_hours: Object.fromEntries(
      WEEKDAYS.map((day) => [day, hire.workHours[day].map((r) => ({ start: time(r.start), end: time(r.end) }))]),
    ) as MeetbitCreateRequest['work_hours'],
  };
}

/** `doctor`'s read-only credentials check: one user, the smallest page (needs `users.read.*`). */
export function meetbitProbe(config: VendorsConfig['meetbit']): Promise<VendorResponse> {
  return vendorHttp('meetbit', config).send('look-up', 'GET', 'users', { searchParams: { PageSize: 1 } });
}

function meetbitUserApi(config: VendorsConfig['meetbit']) {
  const http = vendorHttp('meetbit', config);
  return restUserApi({
    http,
    create: {
      path: 'users',
      body: toMeetbitCreateRequest,
      response: MeetbitOne,
      user: (b) => live(b.data) ?? { id: String(b.data.id) },
      request: MeetbitCreateRequest,
      required: REQUIRED_CREATE_FIELDS,
      omit: config.omitFields,
    },
    // Soft-deleted users are left out unless WithTrashed: a deleted user is not live.
    async findByEmail(email) {
      const { data } = await lookUp(
        http,
        'users',
        { FilterAttribute: 'email', FilterOperator: 'eq', FilterValue: email },
        z.object({ data: z.array(MeetbitUser) }).loose(),
      );
      const found = data.find((u) => sameEmail(u.email, email) && !u.deleted_at);
      return found && live(found);
    },
    findById: async (id) => {
      const got = await getById(http, `users/${encodeURIComponent(id)}`, MeetbitOne);
      return got && live(got.data);
    },
    // Undocumented [guess]: DELETE → 202, 404 text/plain when unknown or already soft-deleted.
    // Should MeetBit turn out to have no delete, lock the user (status 2) here instead.
    remove: { method: 'DELETE', path: (id) => `users/${encodeURIComponent(id)}` },
  });
}

export function createMeetbitActivities(config: VendorsConfig['meetbit']): VendorUserActivities {
  const api = meetbitUserApi(config);
  return {
    createUser: (hire) => createOrAdopt(api, hire),
    undoUser: (user) => undoCreatedUser(api, user),
  };
}
