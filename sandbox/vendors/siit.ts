/**
 * Siit public API (`/v1`): users are never deleted, only archived. Bodies wrap the user in
 * `{result}`; lists are `{meta, results}`. [guess] Error bodies are
 * `{"error": "<message>", "errors"?: {"<field>": ["<msg>"]}}` (pinned for the saga).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxCredentials } from '../credentials.js';
import type { SiitTenant } from '../tenant.js';
import { checkFields, isPlainObject, type FieldRule, type Problem } from '../validation.js';
import { firstQuery, intQuery, json, paginate, type VendorDefinition, type VendorReply } from '../vendor.js';

type Credentials = SandboxCredentials['siit'];
export type SiitUser = Record<string, unknown> & { uid: string; archived_at: string | null };

const nullableString: FieldRule = { type: 'string', nullable: true };
const nullableDate: FieldRule = { type: 'string', nullable: true, format: 'date' };

/** user_write, plus the required email. */
const WRITE_RULES: Record<string, FieldRule> = {
  // [guess] the contract types email as a plain string; Siit surely refuses a malformed one.
  email: { type: 'string', required: true, nonEmpty: true, format: 'email' },
  birthday_date: nullableDate,
  city: nullableString,
  contract_type: { type: 'string', nullable: true, enum: ['contract', 'expat', 'fulltime', 'intern', 'parttime', 'temporary'] },
  // [guess] ISO 3166 alpha-2 checked by shape only.
  country: { ...nullableString, check: (v: string) => (/^[A-Z]{2}$/.test(v) ? undefined : 'must be an ISO 3166 alpha-2 country code') },
  employee_number: nullableString,
  first_name: nullableString,
  gender: { type: 'string', nullable: true, enum: ['female', 'male', 'non_binary', 'other', 'prefer_not_to_disclose'] },
  hire_date: nullableDate,
  job_leave_date: nullableDate,
  job_start_date: nullableDate,
  job_title: nullableString,
  last_name: nullableString,
  last_working_date: nullableDate,
  // [guess] IETF tags checked by shape only.
  preferred_language: {
    ...nullableString,
    check: (v: string) => (/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(v) ? undefined : 'must be an IETF language tag'),
  },
  probation_end_date: nullableDate,
  work_phone: nullableString,
  department: nullableString,
  legal_entity: nullableString,
  office_location: nullableString,
  report_to: nullableString,
  teams: { type: 'string[]', nullable: true },
};

const MESSAGES: Record<Problem['code'], string> = {
  required: "can't be blank",
  type: 'is invalid',
  enum: 'is not included in the list',
  format: 'is invalid',
  maxLength: 'is too long',
  minLength: 'is too short',
  custom: 'is invalid',
};

function error(status: number, message: string, errors?: Record<string, string[]>): VendorReply {
  return json(status, errors ? { error: message, errors } : { error: message });
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
};

function newUid(): string {
  return `u_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/**
 * user_write's relationship fields take UIDs of objects that exist [doc: "Pass the UID of the
 * related object"]; an unknown one is refused in the validation shape with Rails' wording for a
 * missing association, "must exist" [guess: status, shape and wording].
 */
function relationshipProblems(body: Record<string, unknown>, tenant: SiitTenant, isUser: (uid: string) => boolean): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const known = (list: { uid: string }[]) => (uid: string) => list.some((o) => o.uid === uid);
  const single: [string, (uid: string) => boolean][] = [
    ['department', known(tenant.departments)],
    ['legal_entity', known(tenant.legalEntities)],
    ['office_location', known(tenant.officeLocations)],
    ['report_to', isUser],
  ];
  for (const [field, exists] of single) {
    const uid = body[field];
    if (typeof uid === 'string' && !exists(uid)) errors[field] = ['must exist'];
  }
  const teams = Array.isArray(body.teams) ? (body.teams as string[]) : [];
  const unknownTeams = teams.filter((uid) => !known(tenant.teams)(uid));
  if (unknownTeams.length > 0) errors.teams = unknownTeams.map((uid) => `${uid} must exist`);
  return errors;
}

function notFound(): VendorReply {
  return error(404, DEFAULT_MESSAGES[404]);
}

export const siit: VendorDefinition<Credentials, SiitUser, SiitTenant> = {
  name: 'siit',
  basePath: '/v1',
  rateLimit: {
    documented: { limit: 60, windowMs: 60_000 },
    headers: (d, limited) => ({
      'X-SiitApi-Limit': String(d.limit),
      'X-SiitApi-Remaining': String(d.remaining),
      // Sent once limited [doc]; [guess] its value is the seconds until a request is allowed again.
      ...(limited ? { 'X-SiitApi-Reset': String(d.retryAfterSeconds) } : {}),
    }),
  },
  authenticate(headers, credentials) {
    return headers.authorization === `Bearer ${credentials.token}` ? undefined : error(401, DEFAULT_MESSAGES[401]);
  },
  error(status, cause) {
    if (cause === 'bad-json') return error(400, 'Invalid JSON body');
    return error(status, DEFAULT_MESSAGES[status] ?? 'Error');
  },
  routes({ store, tenant, now, route }) {
    // [guess] The relationship objects user_write's uid fields name, in the list shape of /users.
    const list = (items: { uid: string; value: string }[]) =>
      json(200, { meta: { count: items.length, total: items.length, current_page: 1, per_page: 100, next_page_link: null, previous_page_link: null }, results: items });
    route('GET', '/departments', () => list(tenant().departments));
    route('GET', '/teams', () => list(tenant().teams));
    route('POST', '/users', ({ body }) => {
      if (!isPlainObject(body)) return error(400, 'Invalid JSON body');
      const problems = checkFields(body, WRITE_RULES);
      if (problems.length > 0) {
        const errors: Record<string, string[]> = {};
        for (const p of problems) (errors[p.field] ??= []).push(p.code === 'custom' ? p.message : MESSAGES[p.code]);
        return error(400, 'Validation failed', errors);
      }
      // A manager is any user Siit holds (archived ones too: they still exist).
      const relationships = relationshipProblems(body, tenant(), (uid) => store.get(uid) !== undefined);
      if (Object.keys(relationships).length > 0) return error(400, 'Validation failed', relationships);
      const email = body.email as string;
      const existing = store.holderOf(email);
      // [guess] pinned: 409 with the user that holds the email.
      if (existing) return json(409, { error: 'A user with this email already exists', result: existing.body });
      const at = new Date(now()).toISOString();
      const uid = store.freshId(newUid);
      const written = Object.fromEntries(Object.keys(WRITE_RULES).map((k) => [k, body[k] ?? null]));
      const fullName = [body.first_name, body.last_name].filter((s) => typeof s === 'string' && s).join(' ');
      const user: SiitUser = {
        ...written,
        email,
        teams: (body.teams as string[] | null | undefined) ?? [],
        uid,
        admin_permalink_url: `https://app.siit.io/admin/users/${uid}`, // [guess] URL shape
        archived_at: null,
        created_at: at,
        updated_at: at,
        department_uid: written.department,
        legal_entity_uid: written.legal_entity,
        office_location_uid: written.office_location,
        report_to_uid: written.report_to,
        team_uids: (body.teams as string[] | null | undefined) ?? [],
        emails: [email],
        full_name: fullName || null,
        microsoft_entra_ids: [],
        microsoft_entra_group_ids: [],
        role_name: 'user',
        slack_user_id: null,
        status: 'employee',
        timezone: null,
      };
      store.add({ id: uid, email, state: 'active', body: user });
      return json(201, { result: user });
    });

    route('GET', '/users', ({ query }) => {
      const page = intQuery(query.page, 1);
      const perPage = intQuery(query.per_page, 25);
      if (!page || !perPage || perPage > 100) return error(400, 'Invalid pagination parameters');
      const raw = query['email_in[]'] ?? query.email_in;
      const emails = raw === undefined ? undefined : (Array.isArray(raw) ? raw : [raw]).map((e) => e.toLowerCase());
      const includeArchived = firstQuery(query.include_archived) === 'true';
      const matching = store
        .live()
        .filter((u) => includeArchived || u.state !== 'archived')
        .filter((u) => !emails || emails.includes(u.email.toLowerCase()));
      const { items, pages } = paginate(matching, page, perPage);
      const link = (p: number) => `/v1/users?page=${p}&per_page=${perPage}`;
      return json(200, {
        meta: {
          count: items.length,
          total: matching.length,
          current_page: page,
          per_page: perPage,
          next_page_link: page < pages ? link(page + 1) : null,
          previous_page_link: page > 1 ? link(page - 1) : null,
        },
        results: items.map((u) => u.body),
      });
    });

    // Read by id [doc]; archived users too, with archived_at set.
    route('GET', '/users/:uid', ({ params }) => {
      const user = store.get(params.uid);
      return user ? json(200, { result: user.body }) : notFound();
    });

    // The undo: archive (reversible). Archiving twice answers the archived user again [guess].
    const setArchived = (uid: string, archived: boolean): VendorReply => {
      const user = store.get(uid);
      if (!user) return notFound();
      if (archived !== (user.state === 'archived')) {
        const at = new Date(now()).toISOString();
        user.state = archived ? 'archived' : 'active';
        user.body.archived_at = archived ? at : null;
        user.body.updated_at = at;
      }
      return json(200, { result: user.body });
    };
    route('PATCH', '/users/:uid/archive', ({ params }) => setArchived(params.uid, true));
    route('PATCH', '/users/:uid/unarchive', ({ params }) => setArchived(params.uid, false));
  },
};
