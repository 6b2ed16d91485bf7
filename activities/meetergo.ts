/**
 * meetergo (booking page): POST /user → 201 {userId, ..., bookingUrl}. Spec:
 * docs/vendor-specs/meetergo.openapi.yaml and BEYOND-CREATE.md. Every call also names the acting
 * admin in `x-meetergo-api-user-id` (activities/http.ts adds it with the key).
 */
import { z } from 'zod';
import { WEEKDAYS, type NewHire } from '../workflows/new-hire.js';
import type { VendorUserActivities } from '../workflows/vendor-contract.js';
import type { VendorsConfig } from '../config/environment.js';
import { sameEmail, vendorHttp, type VendorResponse } from './http.js';
import { getById, lookUp, restUserApi } from './rest-user-api.js';
import { createOrAdopt, undoCreatedUser, type FoundUser } from './user-lifecycle.js';

const TimeRange = z.strictObject({ start: z.string(), end: z.string() });
const DaySchedule = z.strictObject({ enabled: z.boolean(), hours: z.array(TimeRange) });

export const MeetergoCreateRequest = z.strictObject({
  email: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  timezone: z.string(),
  availability: z.strictObject({
    name: z.string(),
    timezone: z.string(),
    schedule: z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, DaySchedule])) as Record<(typeof WEEKDAYS)[number], typeof DaySchedule>),
  }),
  meetingType: z
    .strictObject({ name: z.string(), duration: z.number(), slug: z.string().optional(), channel: z.string() })
    .optional(),
});
export type MeetergoCreateRequest = z.infer<typeof MeetergoCreateRequest>;

/** What the vendor's create contract requires (docs/vendor-specs/meetergo.openapi.yaml): never left out. */
const REQUIRED_CREATE_FIELDS = ['email', 'givenName', 'familyName', 'timezone'];

const MeetergoCreated = z.object({
  userId: z.string().min(1),
  availabilityId: z.string(),
  meetingTypeId: z.string(),
  bookingUrl: z.string().min(1),
  companyId: z.string(),
});

const MeetergoListedUser = z
  .object({
    id: z.string().min(1),
    email: z.string(),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    createdAt: z.string().optional(),
    bookingUrl: z.string().optional(),
  })
  .loose();
const MeetergoPage = z.object({ users: z.array(MeetergoListedUser), total: z.number().int().optional() }).loose();
const PAGE_SIZE = 100;

/** The booking availability follows the hire's work hours unless overridden. */
export function toMeetergoCreateRequest(hire: NewHire): MeetergoCreateRequest {
  const { meetingType, availability } = hire.vendors.meetergo;
  const hours = availability?.workHours ?? hire.workHours;
  return {
    email: hire.email,
    givenName: hire.firstName,
    familyName: hire.lastName,
    timezone: hire.timezone,
    availability: {
      name: availability?.name ?? 'Working hours',
      timezone: hire.timezone,
      // meetergo: an enabled day must have at least one range, so a day without any is disabled.
      schedule: Object.fromEntries(
        WEEKDAYS.map((day) => [day, { enabled: hours[day].length > 0, hours: hours[day].map(({ start, end }) => ({ start, end })) }]),
      ) as MeetergoCreateRequest['availability']['schedule'],
    },
    ...(meetingType && { meetingType }),
  };
}

const links = (bookingUrl: string | undefined): FoundUser['links'] => (bookingUrl ? { bookingUrl } : undefined);

function found(u: z.infer<typeof MeetergoListedUser>): FoundUser {
  const name = [u.givenName, u.familyName].filter(Boolean).join(' ');
  return { id: u.id, email: u.email, ...(name && { name }), ...(u.createdAt && { createdAt: u.createdAt }), ...(u.bookingUrl && { links: links(u.bookingUrl) }) };
}

/** `doctor`'s read-only credentials check: one user, the smallest page, as the acting admin (checks both). */
export function meetergoProbe(config: VendorsConfig['meetergo']): Promise<VendorResponse> {
  return vendorHttp('meetergo', config).send('look-up', 'GET', 'user', { searchParams: { limit: 1, offset: 0 } });
}

function meetergoUserApi(config: VendorsConfig['meetergo']) {
  const http = vendorHttp('meetergo', config);
  return restUserApi({
    http,
    create: {
      path: 'user',
      body: toMeetergoCreateRequest,
      response: MeetergoCreated,
      user: (b) => ({ id: b.userId, links: links(b.bookingUrl) }),
      request: MeetergoCreateRequest,
      required: REQUIRED_CREATE_FIELDS,
      omit: config.omitFields,
    },
    // No email filter: page through the company's users and match here.
    async findByEmail(email) {
      for (let offset = 0; ; offset += PAGE_SIZE) {
        const page = await lookUp(http, 'user', { limit: PAGE_SIZE, offset }, MeetergoPage);
        const match = page.users.find((u) => sameEmail(u.email, email));
        if (match) return found(match);
        const seen = offset + page.users.length;
        if (page.users.length < PAGE_SIZE || (page.total !== undefined && seen >= page.total)) return undefined;
      }
    },
    findById: async (id) => {
      const user = await getById(http, `user/${encodeURIComponent(id)}`, MeetergoListedUser);
      return user && found(user);
    },
    // 204 on success; permanent (no transfer of resources: a new hire has none yet).
    remove: { method: 'DELETE', path: (id) => `user/${encodeURIComponent(id)}` },
  });
}

export function createMeetergoActivities(config: VendorsConfig['meetergo']): VendorUserActivities {
  const api = meetergoUserApi(config);
  return {
    createUser: (hire) => createOrAdopt(api, hire),
    undoUser: (user) => undoCreatedUser(api, user),
  };
}
