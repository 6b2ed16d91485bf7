/**
 * Partoo REST API (`/v2`), a Flask/marshmallow app: 400 `{"errors": {"json": {...}}}`, 401
 * `{"errors": {"authentication": ...}}`, 403 `{"errors": {"authorization": ...}}`. A user created
 * `invited` without `send_invitation` waits for POST /user/{id}/invite.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxCredentials } from '../credentials.js';
import type { PartooTenant } from '../tenant.js';
import { checkFields, isPlainObject, type FieldRule, type Problem } from '../validation.js';
import { firstQuery, intQuery, json, paginate, type VendorDefinition, type VendorReply } from '../vendor.js';

type Credentials = SandboxCredentials['partoo'];

export interface PartooUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  status: 'active' | 'invited';
  org_id: number;
  lang: string;
  business_ids: string[];
  accesses: number[][];
  custom_role: string | null;
  sidebar_pages: string[] | null;
  sso_only: boolean;
  disabled: boolean;
  created_at: number;
}

/** The invitation email goes out at most this often per user [doc]. */
export const INVITE_INTERVAL_MS = 5 * 60_000;
const SIDEBAR_PAGES = [
  'bulk_modification',
  'diffusion',
  'feedback_management',
  'messages',
  'posts',
  'presence_analytics',
  'review_analytics',
  'review_invite',
  'review_management',
];

const PASSWORD_RULE = (v: string) =>
  /[a-z]/.test(v) && /[A-Z]/.test(v) && /[^A-Za-z0-9]/.test(v) ? undefined : 'Password must contain an upper case letter, a lower case letter and a special character.';

const CREATE_RULES: Record<string, FieldRule> = {
  email: { type: 'string', required: true, format: 'email' },
  first_name: { type: 'string', required: true },
  last_name: { type: 'string', required: true },
  org_id: { type: 'integer' },
  accesses: { type: 'integer[][]' },
  business_ids: { type: 'string[]' },
  role: { type: 'string', enum: ['ORG_ADMIN', 'ORG_MANAGER', 'GROUP_MANAGER', 'BUSINESS_MANAGER', 'PUBLISHER'] },
  custom_role: { type: 'string', nullable: true },
  sidebar_pages: {
    type: 'string[]',
    nullable: true,
    check: (v: string[]) => (v.every((p) => SIDEBAR_PAGES.includes(p)) ? undefined : `Must be one of: ${SIDEBAR_PAGES.join(', ')}.`),
  },
  send_invitation: { type: 'boolean' },
  status: { type: 'string', enum: ['active', 'invited'] },
  password: { type: 'string', minLength: 8, check: PASSWORD_RULE },
  lang: { type: 'string', enum: ['fr', 'en', 'es', 'it', 'pt-br', 'de', 'ar', 'nl', 'pl', 'cs', 'ca', 'sk', 'pt', 'lv', 'ro', 'bg', 'hu'] },
  sso_only: { type: 'boolean' },
};

/** marshmallow's wording. */
function marshmallowMessage(p: Problem): string {
  switch (p.code) {
    case 'required':
      return 'Missing data for required field.';
    case 'type':
      return 'Not a valid value.';
    case 'enum':
      return `Must be one of: ${(CREATE_RULES[p.field].enum ?? []).join(', ')}.`;
    case 'format':
      return 'Not a valid email address.';
    case 'minLength':
      return 'Shorter than minimum length 8.';
    case 'maxLength':
      return 'Longer than maximum length.';
    case 'custom':
      return p.message;
  }
}

function badRequest(detail: unknown): VendorReply {
  return json(400, { errors: { json: detail } });
}

const NOT_FOUND = json(404, { errors: { json: 'Resource not found' } });
const NOT_ALLOWED = json(403, { errors: { authorization: 'Operation not allowed' } });

/** Writing users needs WRITE access on the key's organization [doc]; reading does not. */
function denied(tenant: PartooTenant): VendorReply | undefined {
  return tenant.keyAccess === 'WRITE' ? undefined : NOT_ALLOWED;
}

/**
 * References to the organization's objects: `custom_role` must be the api_id of one of its custom
 * roles [doc], `business_ids` its businesses, read only for BUSINESS_MANAGER users [doc]. The 400
 * shape is documented; per-field wording [guess].
 */
function referenceProblems(body: Record<string, unknown>, role: string, tenant: PartooTenant): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const customRole = body.custom_role;
  if (typeof customRole === 'string' && !tenant.customRoles.some((r) => r.apiId === customRole)) {
    errors.custom_role = [`Custom role "${customRole}" does not exist in your organization.`];
  }
  const unknown = role === 'BUSINESS_MANAGER' ? ((body.business_ids as string[] | undefined) ?? []).filter((id) => !tenant.businesses.some((b) => b.id === id)) : [];
  if (unknown.length > 0) errors.business_ids = unknown.map((id) => `Business ${id} does not exist or is not accessible.`);
  return errors;
}

export const partoo: VendorDefinition<Credentials, PartooUser, PartooTenant> = {
  name: 'partoo',
  basePath: '/v2',
  rateLimit: {
    documented: { limit: 300, windowMs: 60_000 },
    headers: (d, limited): Record<string, string> => (limited ? { 'Retry-After': String(d.retryAfterSeconds) } : {}),
  },
  authenticate(headers, credentials) {
    return headers['x-apikey'] === credentials.apiKey ? undefined : json(401, { errors: { authentication: 'User not authenticated' } });
  },
  error(status, cause) {
    switch (status) {
      case 400:
        return badRequest({ _schema: [cause === 'bad-json' ? 'Invalid JSON body.' : 'Invalid input.'] });
      case 401:
        return json(401, { errors: { authentication: 'User not authenticated' } });
      case 403:
        return NOT_ALLOWED;
      case 404:
        return NOT_FOUND;
    }
    // [guess] other statuses keep the `errors.json` shape.
    const messages: Record<number, string> = { 413: 'Request body too large', 415: 'Unsupported media type', 429: 'Too many requests' };
    return json(status, { errors: { json: messages[status] ?? 'Internal server error' } });
  },
  routes({ store, tenant, now, route }) {
    // The organization's businesses [doc: GET /v2/business/search], for checking provisioning rules.
    route('GET', '/business/search', () => {
      const businesses = tenant().businesses;
      return json(200, { page: 1, max_page: 1, count: businesses.length, businesses: businesses.map((b) => ({ id: b.id, name: b.name, org_id: tenant().orgId })) });
    });
    route('POST', '/user', ({ body }) => {
      const refusal = denied(tenant());
      if (refusal) return refusal;
      if (!isPlainObject(body)) return badRequest({ _schema: ['Invalid input type.'] });
      const problems = checkFields(body, CREATE_RULES);
      if (problems.length > 0) return badRequest(Object.fromEntries(problems.map((p) => [p.field, [marshmallowMessage(p)]])));
      const role = (body.role as string | undefined) ?? 'ORG_ADMIN';
      const references = referenceProblems(body, role, tenant());
      if (Object.keys(references).length > 0) return badRequest(references);
      const email = body.email as string;
      if (store.holderOf(email)) return badRequest({ email: 'A user with this email already exists' }); // [guess] pinned
      // send_invitation sends the email now (status invited); status "invited" alone holds it.
      const sendInvitation = body.send_invitation === true;
      const status = sendInvitation || body.status === 'invited' ? 'invited' : 'active';
      const user: PartooUser = {
        id: store.freshId(() => randomBytes(12).toString('hex')),
        email,
        first_name: body.first_name as string,
        last_name: body.last_name as string,
        role,
        status,
        // Only a PROVIDER key may place a user elsewhere [doc]; the sandbox key is not one.
        org_id: tenant().orgId,
        lang: (body.lang as string | undefined) ?? 'en',
        business_ids: role === 'BUSINESS_MANAGER' ? ((body.business_ids as string[] | undefined) ?? []) : [],
        accesses: (body.accesses as number[][] | undefined) ?? [],
        custom_role: (body.custom_role as string | null | undefined) ?? null,
        sidebar_pages: (body.sidebar_pages as string[] | null | undefined) ?? null,
        sso_only: body.sso_only === true,
        disabled: false,
        created_at: now() / 1000,
      };
      store.add({
        id: user.id,
        email,
        state: status,
        body: user,
        invitesSent: sendInvitation ? 1 : 0,
        lastInviteAt: sendInvitation ? now() : undefined,
      });
      return json(200, { id: user.id, status: 'success' });
    });

    // Case-insensitive exact email match [doc].
    route('GET', '/user/search', ({ query }) => {
      const page = intQuery(query.page, 1);
      const perPage = intQuery(query.per_page, 30);
      if (!page || !perPage || perPage > 100) return badRequest({ page: ['Invalid paging.'] });
      const email = firstQuery(query.email)?.toLowerCase();
      const matching = store.live().filter((u) => email === undefined || u.email.toLowerCase() === email);
      const { items, pages } = paginate(matching, page, perPage);
      return json(200, { page, max_page: pages, count: matching.length, users: items.map((u) => u.body) });
    });

    // Read by id [doc].
    route('GET', '/user/:id', ({ params }) => {
      const user = store.get(params.id);
      return user && user.state !== 'deleted' ? json(200, user.body) : NOT_FOUND;
    });

    route('DELETE', '/user/:id', ({ params }) => {
      const refusal = denied(tenant());
      if (refusal) return refusal;
      const user = store.get(params.id);
      if (!user || user.state === 'deleted') return NOT_FOUND;
      user.state = 'deleted';
      return json(200, { id: user.id, status: 'success' });
    });

    // No body. Only `invited` users, at most once per INVITE_INTERVAL_MS; errors [guess] pinned.
    route('POST', '/user/:id/invite', ({ params }) => {
      const refusal = denied(tenant());
      if (refusal) return refusal;
      const user = store.get(params.id);
      if (!user || user.state === 'deleted') return NOT_FOUND;
      if (user.state !== 'invited') return badRequest('User is not in invited status');
      if (user.lastInviteAt !== undefined && now() - user.lastInviteAt < INVITE_INTERVAL_MS) {
        return badRequest('Invitation already sent less than 5 minutes ago');
      }
      user.lastInviteAt = now();
      user.invitesSent = (user.invitesSent ?? 0) + 1;
      return json(200, { status: 'success' });
    });
  },
};
