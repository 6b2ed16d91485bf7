/**
 * MeetBit public API (`/api/public/v2.0`), a Laravel app: `{message, data}` bodies, 400
 * `{message, errors: {field: [msg]}}` with Laravel's wording, text/plain 401/404/429/500, users
 * soft-deleted (`deleted_at`). A missing permission is 401 "Access denied." [doc], never 403.
 */
import type { SandboxCredentials } from '../credentials.js';
import type { MeetbitTenant } from '../tenant.js';
import { checkFields, isPlainObject, type FieldRule, type Problem } from '../validation.js';
import { firstQuery, intQuery, json, paginate, type VendorDefinition, type VendorReply } from '../vendor.js';

type Credentials = SandboxCredentials['meetbit'];

interface Time {
  hour: number;
  minute: number;
  second: number;
}
type WorkHours = Record<(typeof DAYS)[number], { start: Time; end: Time }[]>;

export interface MeetbitUser {
  id: number;
  department_id: number;
  first_name: string;
  last_name: string;
  email: string;
  status: 0 | 1 | 2;
  timezone: string;
  work_hours: WorkHours;
  avatar_url: string;
  role: string;
  name: string;
  department_name: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const STATUS = { invited: 0, active: 1 } as const;
const INVALID = 'The given data was invalid.';
const NOT_FOUND = 'Resource object does not exist.';

const CREATE_RULES: Record<string, FieldRule> = {
  department_id: { type: 'integer', required: true },
  first_name: { type: 'string', required: true, nonEmpty: true, maxLength: 255 },
  last_name: { type: 'string', required: true, nonEmpty: true, maxLength: 255 },
  email: { type: 'string', required: true, nonEmpty: true, format: 'email', maxLength: 255 },
  // IANA names as Laravel's `timezone` rule lists them (see time-zones.ts) [guess].
  timezone: { type: 'string', required: true, nonEmpty: true, format: 'timezone' },
  // "Must be an existing Role name" [doc]: checked against the tenant's roles below.
  role: { type: 'string', required: true, nonEmpty: true },
  work_hours: { type: 'object', required: true },
  activate: { type: 'boolean' },
  is_silent: { type: 'boolean' },
};

/** Laravel's default wording, with the attribute as Laravel prints it. */
function laravelMessage(p: Problem): string {
  const attribute = p.field.replace(/_/g, ' ');
  switch (p.code) {
    case 'required':
      return `The ${attribute} field is required.`;
    case 'type':
      return `The ${attribute} field is invalid.`;
    case 'enum':
      return `The selected ${attribute} is invalid.`;
    case 'format':
      return p.field === 'email' ? 'The email must be a valid email address.' : `The ${attribute} must be a valid ${p.field === 'timezone' ? 'timezone' : 'value'}.`;
    case 'maxLength':
      return `The ${attribute} must not be greater than 255 characters.`;
    case 'minLength':
      return `The ${attribute} is too short.`;
    case 'custom':
      return p.message;
  }
}

function seconds(t: Time): number {
  return t.hour * 3600 + t.minute * 60 + t.second;
}

function isTime(value: unknown): value is Time {
  if (!isPlainObject(value)) return false;
  const within = (v: unknown, max: number) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
  return within(value.hour, 24) && within(value.minute, 60) && within(value.second, 60);
}

/** Time objects in range, no time past 24:00:00, start before end; keys in Laravel dot notation. */
function workHoursProblems(workHours: Record<string, unknown>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  for (const day of DAYS) {
    const ranges = workHours[day];
    if (!Array.isArray(ranges)) {
      add(`work_hours.${day}`, `The work hours.${day} field is required.`);
      continue;
    }
    ranges.forEach((range: unknown, i) => {
      const at = `work_hours.${day}.${i}`;
      if (!isPlainObject(range)) return add(at, `The ${at} must be an object with start and end.`);
      const { start, end } = range;
      for (const [name, time] of [['start', start], ['end', end]] as const) {
        if (!isTime(time)) add(`${at}.${name}`, `The ${at}.${name} must be a time with hour (0-24), minute (0-60) and second (0-60).`);
        else if (seconds(time) > 24 * 3600) add(`${at}.${name}`, `The ${at}.${name} cannot total to more than 24 hours.`);
      }
      if (isTime(start) && isTime(end) && seconds(start) >= seconds(end)) add(`${at}.start`, `The ${at}.start must be before ${at}.end.`);
    });
  }
  return errors;
}

function validation(errors: Record<string, string[]>): VendorReply {
  return json(400, { message: INVALID, errors });
}

function text(status: number, body: string): VendorReply {
  return { status, text: body };
}

/** A key without the permission a call needs [doc: UnauthorizedError, answered as 401]. */
const ACCESS_DENIED = 'Access denied.';

const DEFAULT_TEXT: Record<number, string> = {
  401: 'Invalid or missing access key.',
  // MeetBit documents no 403 (its permission failures are 401 ACCESS_DENIED); an injected 403
  // gets Laravel's own wording [guess].
  403: 'This action is unauthorized.',
  404: NOT_FOUND,
  413: 'Payload too large.',
  415: 'Unsupported media type.',
  429: 'Too many requests.',
  500: 'An unexpected error occurred.',
};

function present(user: MeetbitUser): VendorReply {
  return json(200, { message: 'User retrieved successfully.', data: user });
}

/** The permission a call needs, or the 401 a key without it gets. */
function denied(tenant: MeetbitTenant, ...needed: string[]): VendorReply | undefined {
  return needed.every((p) => tenant.permissions.includes(p)) ? undefined : text(401, ACCESS_DENIED);
}

/**
 * Laravel's `exists` rule on department_id and role, checked only on well-typed values (the type
 * problem is already reported) [doc: "Must be an existing Role name"; wording is Laravel's].
 */
function referenceProblems(body: Record<string, unknown>, tenant: MeetbitTenant, errors: Record<string, string[]>): void {
  const { department_id: departmentId, role } = body;
  if (Number.isSafeInteger(departmentId) && !tenant.departments.some((d) => d.id === departmentId) && !errors.department_id) {
    errors.department_id = ['The selected department id is invalid.'];
  }
  if (typeof role === 'string' && role !== '' && !tenant.roles.includes(role) && !errors.role) errors.role = ['The selected role is invalid.'];
}

export const meetbit: VendorDefinition<Credentials, MeetbitUser, MeetbitTenant> = {
  name: 'meetbit',
  basePath: '/api/public/v2.0',
  rateLimit: {
    // 10 req/s per tenant and 5 req/s per client: with one client the client limit binds.
    documented: { limit: 5, windowMs: 1_000 },
    penalize: true,
    headers: (d, limited) => ({
      'RateLimit-Limit': String(d.limit),
      'RateLimit-Remaining': String(d.remaining),
      'RateLimit-Reset': String(d.resetSeconds),
      ...(limited ? { 'Retry-After': String(d.retryAfterSeconds) } : {}),
    }),
  },
  authenticate(headers, credentials) {
    const ok = headers['x-access-key-id'] === credentials.accessKeyId && headers['x-access-key-secret'] === credentials.accessKeySecret;
    return ok ? undefined : text(401, DEFAULT_TEXT[401]);
  },
  error(status, cause) {
    if (cause === 'bad-json') return validation({ body: ['The request body must be valid JSON.'] });
    if (status === 400) return validation({});
    return text(status, DEFAULT_TEXT[status] ?? 'An unexpected error occurred.');
  },
  routes({ store, tenant, now, route }) {
    // [guess] Departments and roles, as MeetBit's admin pages list them: the provisioning rules
    // are checked against these.
    route('GET', '/departments', () => denied(tenant(), 'users.read.*') ?? json(200, { message: 'Departments retrieved successfully.', data: tenant().departments }));
    route('GET', '/roles', () => denied(tenant(), 'users.read.*') ?? json(200, { message: 'Roles retrieved successfully.', data: tenant().roles.map((name) => ({ name })) }));
    route('POST', '/users', ({ body }) => {
      // Authorization comes before validation, as a Laravel form request's authorize() does:
      // users.create.* [doc], and users.lock.* to activate [doc].
      const refusal = denied(tenant(), 'users.create.*') ?? (isPlainObject(body) && body.activate === true ? denied(tenant(), 'users.lock.*') : undefined);
      if (refusal) return refusal;
      if (!isPlainObject(body)) return validation({ body: ['The request body must be a JSON object.'] });
      const errors: Record<string, string[]> = {};
      for (const p of checkFields(body, CREATE_RULES)) (errors[p.field] ??= []).push(laravelMessage(p));
      referenceProblems(body, tenant(), errors);
      if (isPlainObject(body.work_hours)) Object.assign(errors, workHoursProblems(body.work_hours));
      if (body.is_silent === true && body.activate !== true) errors.is_silent = ['The is silent field requires activate to be true.'];
      if (Object.keys(errors).length > 0) return validation(errors);
      if (store.holderOf(body.email as string)) return validation({ email: ['The email has already been taken.'] }); // [guess] pinned
      const at = new Date(now()).toISOString();
      const id = store.nextNumber('user', 100_000);
      const department = tenant().departments.find((d) => d.id === body.department_id)!;
      const user: MeetbitUser = {
        id,
        department_id: body.department_id as number,
        first_name: body.first_name as string,
        last_name: body.last_name as string,
        email: body.email as string,
        status: body.activate === true ? STATUS.active : STATUS.invited,
        timezone: body.timezone as string,
        work_hours: Object.fromEntries(DAYS.map((d) => [d, (body.work_hours as WorkHours)[d]])) as WorkHours,
        avatar_url: `https://example.com/avatars/${id}.png`,
        role: body.role as string,
        name: `${body.first_name as string} ${body.last_name as string}`,
        department_name: department.name,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      };
      store.add({ id: String(id), email: user.email, state: user.status === STATUS.active ? 'active' : 'invited', body: user });
      return json(200, { message: 'User created successfully.', data: user });
    });

    // Filtering [doc]; operator names `eq` and `like` [guess]; reads need users.read.* [guess].
    route('GET', '/users', ({ query }) => {
      const refusal = denied(tenant(), 'users.read.*');
      if (refusal) return refusal;
      const pageSize = intQuery(query.PageSize, 15);
      const pageNumber = intQuery(query.PageNumber, 1);
      if (!pageSize || !pageNumber || pageSize > 100) return validation({ PageSize: ['The page size must be between 1 and 100.'] });
      const attribute = firstQuery(query.FilterAttribute);
      const operator = firstQuery(query.FilterOperator) ?? 'eq';
      const value = (firstQuery(query.FilterValue) ?? '').toLowerCase();
      if (attribute !== undefined && !['email', 'first_name', 'last_name', 'role', 'timezone'].includes(attribute)) {
        return validation({ FilterAttribute: ['The selected filter attribute is invalid.'] });
      }
      if (!['eq', 'like'].includes(operator)) return validation({ FilterOperator: ['The selected filter operator is invalid.'] });
      const withTrashed = ['true', '1'].includes(firstQuery(query.WithTrashed) ?? '');
      const matching = store
        .all()
        .filter((u) => withTrashed || u.state !== 'deleted')
        .filter((u) => {
          if (attribute === undefined) return true;
          const field = String(u.body[attribute as keyof MeetbitUser]).toLowerCase();
          return operator === 'eq' ? field === value : field.includes(value);
        });
      const { items, pages } = paginate(matching, pageNumber, pageSize);
      return json(200, {
        message: 'Users retrieved successfully.',
        data: items.map((u) => u.body),
        meta: { current_page: pageNumber, per_page: pageSize, total: matching.length, last_page: pages }, // [guess] meta shape
      });
    });

    // [guess] Read by id: BEYOND-CREATE documents PATCH /users/{user_id}, so the same resource
    // route answers GET (a Laravel apiResource). A soft-deleted user is 404 unless WithTrashed.
    route('GET', '/users/:userId', ({ params, query }) => {
      const refusal = denied(tenant(), 'users.read.*');
      if (refusal) return refusal;
      const user = store.get(params.userId);
      const withTrashed = ['true', '1'].includes(firstQuery(query.WithTrashed) ?? '');
      return user && (withTrashed || user.state !== 'deleted') ? present(user.body) : text(404, NOT_FOUND);
    });

    // [guess] Undo is undocumented: a soft delete answered 202 with no body. Only this handler
    // knows it; change it here if MeetBit turns out to do otherwise.
    route('DELETE', '/users/:userId', ({ params }) => {
      const refusal = denied(tenant(), 'users.delete.*'); // [guess] the permission's name
      if (refusal) return refusal;
      const user = store.get(params.userId);
      if (!user || user.state === 'deleted') return text(404, NOT_FOUND);
      user.state = 'deleted';
      user.body.deleted_at = new Date(now()).toISOString();
      return { status: 202 };
    });
  },
};
