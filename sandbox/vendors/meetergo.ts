/**
 * meetergo platform API (`/v4`), a NestJS app: errors are `{statusCode, message, error}`,
 * validation adds `errors: [{field, message}]`. Creating a user also creates its availability,
 * meeting type and booking URL.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxCredentials } from '../credentials.js';
import type { MeetergoTenant } from '../tenant.js';
import { checkFields, isIntlTimeZone, isPlainObject, isUuid, type FieldRule, type Problem } from '../validation.js';
import { intQuery, json, type VendorDefinition, type VendorReply } from '../vendor.js';

type Credentials = SandboxCredentials['meetergo'];

/** [guess] What GET /v4/user shows: the create fields plus the created resources. */
export interface MeetergoUser {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  timezone: string;
  companyId: string;
  availabilityId: string;
  meetingTypeId: string;
  bookingUrl: string;
  createdAt: string;
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const CHANNELS = ['phone', 'phone-incoming', 'connect', 'google', 'zoom', 'teamsForBusiness2', 'webex', 'whereby', 'kmeet', 'jitsi', 'local', 'local-attendee', 'custom'];
/** The documented 403 of create [doc]. */
const NO_API_PLATFORM = "Company does not have access to 'apiPlatform' feature.";
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

const USER_RULES: Record<string, FieldRule> = {
  email: { type: 'string', required: true, nonEmpty: true, format: 'email' },
  givenName: { type: 'string', required: true, nonEmpty: true },
  familyName: { type: 'string', required: true, nonEmpty: true },
  timezone: { type: 'string', required: true, nonEmpty: true },
  availability: { type: 'object' },
  meetingType: { type: 'object' },
};
const AVAILABILITY_RULES: Record<string, FieldRule> = { name: { type: 'string' }, timezone: { type: 'string' }, schedule: { type: 'object' } };
const MEETING_TYPE_RULES: Record<string, FieldRule> = {
  name: { type: 'string' },
  duration: { type: 'number', check: (v: number) => (v > 0 ? undefined : 'duration must be a positive number') },
  slug: { type: 'string', check: (v: string) => (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v) ? undefined : 'slug must be URL-friendly') },
  channel: { type: 'string', enum: CHANNELS },
};

function httpError(status: number, message: string): VendorReply {
  return json(status, { statusCode: status, message, error: STATUS_TEXT[status] ?? 'Error' });
}

function validationFailed(errors: { field: string; message: string }[]): VendorReply {
  return json(400, { statusCode: 400, message: 'Validation failed', errors });
}

function describe(p: Problem): { field: string; message: string } {
  const messages: Record<Exclude<Problem['code'], 'custom'>, string> = {
    required: `${p.field} should not be empty`,
    type: `${p.field} has the wrong type`,
    enum: `${p.field} must be one of the allowed values`,
    format: p.field === 'email' ? 'Invalid email format' : `${p.field} has an invalid format`,
    maxLength: `${p.field} is too long`,
    minLength: `${p.field} is too short`,
  };
  return { field: p.field, message: p.code === 'custom' ? p.message : messages[p.code] };
}

/** Enabled days need at least one range; ranges are HH:MM with start before end. */
function scheduleProblems(schedule: Record<string, unknown>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const [day, value] of Object.entries(schedule)) {
    const at = `availability.schedule.${day}`;
    if (!DAYS.includes(day)) {
      problems.push({ field: at, message: `${day} is not a day of the week` });
      continue;
    }
    if (!isPlainObject(value) || typeof value.enabled !== 'boolean' || !Array.isArray(value.hours)) {
      problems.push({ field: at, message: 'each day needs enabled (boolean) and hours (array)' });
      continue;
    }
    if (value.enabled && value.hours.length === 0) problems.push({ field: `${at}.hours`, message: 'Enabled days must include at least one time range' });
    value.hours.forEach((range: unknown, i) => {
      const where = `${at}.hours.${i}`;
      if (!isPlainObject(range) || typeof range.start !== 'string' || typeof range.end !== 'string' || !HH_MM.test(range.start) || !HH_MM.test(range.end)) {
        problems.push({ field: where, message: 'start and end must be times in HH:MM format' });
      } else if (range.start >= range.end) {
        problems.push({ field: where, message: 'start must be before end' });
      }
    });
  }
  return problems;
}

function slugify(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'user';
}

/** Calls other than create act as a company admin named in a header [doc]. */
function actingUserProblem(headers: IncomingHttpHeaders, tenant: MeetergoTenant, required: boolean): VendorReply | undefined {
  const actingUser = headers['x-meetergo-api-user-id'];
  if (actingUser === undefined) {
    return required ? httpError(400, "Missing required header 'x-meetergo-api-user-id' for API key authentication") : undefined;
  }
  // [guess] status and wording for a user who is not one of the tenant's company admins.
  return typeof actingUser === 'string' && tenant.companyAdmins.includes(actingUser) ? undefined : httpError(403, 'Acting user is not a company admin');
}

/**
 * Creating users needs the API Platform subscription [doc: 403 and its body] and a Platform API
 * Key, not a Personal Access Token [doc; 403 and wording guess]. Guards run before validation.
 */
function createRefusal(tenant: MeetergoTenant): VendorReply | undefined {
  if (!tenant.apiPlatform) return httpError(403, NO_API_PLATFORM);
  if (tenant.keyType !== 'platform') return httpError(403, 'Personal Access Tokens cannot create users');
  return undefined;
}

export const meetergo: VendorDefinition<Credentials, MeetergoUser, MeetergoTenant> = {
  name: 'meetergo',
  basePath: '/v4',
  rateLimit: {
    documented: { limit: 100, windowMs: 60_000, burst: 200 },
    // No rate-limit headers and no Retry-After are documented.
    headers: () => ({}),
  },
  authenticate(headers, credentials) {
    return headers.authorization === `Bearer ${credentials.apiKey}` ? undefined : httpError(401, 'Unauthorized');
  },
  error(status, cause) {
    if (cause === 'bad-json') return httpError(400, 'Invalid JSON in request body');
    if (cause === 'no-route') return httpError(404, 'Cannot find the requested resource');
    const messages: Record<number, string> = { 403: NO_API_PLATFORM, 500: 'Internal server error' };
    return httpError(status, messages[status] ?? STATUS_TEXT[status] ?? 'Error');
  },
  routes({ store, tenant, now, route }) {
    route('POST', '/user', ({ body, headers }) => {
      const refused = createRefusal(tenant()) ?? actingUserProblem(headers, tenant(), false);
      if (refused) return refused;
      if (!isPlainObject(body)) return validationFailed([{ field: 'body', message: 'body must be a JSON object' }]);
      const problems = checkFields(body, USER_RULES).map(describe);
      const availability = isPlainObject(body.availability) ? body.availability : {};
      const meetingType = isPlainObject(body.meetingType) ? body.meetingType : {};
      problems.push(...checkFields(availability, AVAILABILITY_RULES, 'availability.').map(describe));
      problems.push(...checkFields(meetingType, MEETING_TYPE_RULES, 'meetingType.').map(describe));
      if (isPlainObject(availability.schedule)) problems.push(...scheduleProblems(availability.schedule));
      if (problems.length > 0) return validationFailed(problems);
      const timezones = [body.timezone, availability.timezone].filter((t): t is string => typeof t === 'string');
      if (!timezones.every(isIntlTimeZone)) return httpError(400, 'Invalid timezone');
      if (store.holderOf(body.email as string)) return httpError(409, 'User with this email already exists');

      const userSlug = uniqueSlug(slugify(`${body.givenName as string}-${body.familyName as string}`), store.live().map((u) => u.body.bookingUrl));
      const meetingSlug = (meetingType.slug as string | undefined) ?? slugify((meetingType.name as string | undefined) ?? '30min Meeting');
      const user: MeetergoUser = {
        id: store.freshId(randomUUID),
        email: body.email as string,
        givenName: body.givenName as string,
        familyName: body.familyName as string,
        timezone: body.timezone as string,
        companyId: tenant().companyId,
        availabilityId: randomUUID(),
        meetingTypeId: randomUUID(),
        bookingUrl: `https://cal.meetergo.com/${userSlug}/${meetingSlug}`,
        createdAt: new Date(now()).toISOString(),
      };
      store.add({ id: user.id, email: user.email, state: 'active', body: user });
      const { id: userId, availabilityId, meetingTypeId, bookingUrl, companyId } = user;
      return json(201, { userId, availabilityId, meetingTypeId, bookingUrl, companyId });
    });

    // No email filter [doc]: clients page through and filter on their side.
    route('GET', '/user', ({ query, headers }) => {
      const acting = actingUserProblem(headers, tenant(), true);
      if (acting) return acting;
      const limit = intQuery(query.limit, 20); // [guess] default page size
      const offset = intQuery(query.offset, 0);
      const problems = [];
      if (limit === undefined || limit < 1 || limit > 100) problems.push({ field: 'limit', message: 'limit must be an integer between 1 and 100' });
      if (offset === undefined) problems.push({ field: 'offset', message: 'offset must be a non-negative integer' });
      if (problems.length > 0) return validationFailed(problems);
      const users = store.live();
      return json(200, { users: users.slice(offset, offset! + limit!).map((u) => u.body), total: users.length });
    });

    // [guess] Read by id: BEYOND-CREATE documents only the paged list; the sandbox also answers
    // GET /v4/user/{id} (the path DELETE uses) with the list's user object, 404 when gone.
    route('GET', '/user/:id', ({ params, headers }) => {
      const acting = actingUserProblem(headers, tenant(), true);
      if (acting) return acting;
      const user = store.get(params.id);
      return user && user.state !== 'deleted' ? json(200, user.body) : httpError(404, 'User not found');
    });

    // Permanent [doc]; an optional body moves the user's resources to `targetUserId`.
    route('DELETE', '/user/:id', ({ params, headers, body }) => {
      const acting = actingUserProblem(headers, tenant(), true);
      if (acting) return acting;
      const user = store.get(params.id);
      if (!user || user.state === 'deleted') return httpError(404, 'User not found');
      if (body !== undefined) {
        const target = isPlainObject(body) ? body.targetUserId : undefined;
        if (target !== undefined && (typeof target !== 'string' || !isUuid(target))) {
          return validationFailed([{ field: 'targetUserId', message: 'targetUserId must be a UUID' }]);
        }
        if (target !== undefined && store.get(target)?.state !== 'active') return httpError(404, 'User not found');
      }
      user.state = 'deleted';
      return { status: 204 };
    });
  },
};

function uniqueSlug(base: string, taken: string[]): string {
  const used = new Set(taken.map((url) => new URL(url).pathname.split('/')[1]));
  let slug = base;
  for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}
