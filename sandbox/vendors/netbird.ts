/**
 * NetBird management API (`/api`): users are invited by email (IdP subject ids) or are service
 * users (UUIDs). Errors are `{"message": "...", "code": <status>}` with lower-case messages.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { SandboxCredentials } from '../credentials.js';
import type { NetbirdTenant } from '../tenant.js';
import { checkFields, isPlainObject, type Problem } from '../validation.js';
import { json, type VendorDefinition, type VendorReply } from '../vendor.js';

type Credentials = SandboxCredentials['netbird'];

export interface NetbirdUser {
  id: string;
  email: string;
  name: string;
  role: string;
  status: 'active' | 'invited' | 'blocked';
  auto_groups: string[];
  is_current: boolean;
  is_service_user: boolean;
  is_blocked: boolean;
  last_login: string;
  issued: 'api';
}

const ROLES = ['owner', 'admin', 'user', 'billing_admin', 'auditor', 'network_admin'] as const;
/** Go's zero time, what NetBird reports for a user who never logged in. */
const NEVER = '0001-01-01T00:00:00Z';

function error(status: number, message: string): VendorReply {
  return json(status, { message, code: status });
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'bad request',
  401: 'token invalid', // [guess] wording of NetBird's 401
  403: 'permission denied',
  404: 'not found',
  413: 'request body too large',
  415: 'unsupported content type',
  429: 'too many requests',
  500: 'internal server error',
};

/** NetBird's answer when the PAT's user lacks the permission: PermissionDenied → 403 [doc: server code]. */
function denied(tenant: NetbirdTenant, operation: NetbirdTenant['permissions']['users'][number]): VendorReply | undefined {
  return tenant.permissions.users.includes(operation) ? undefined : error(403, DEFAULT_MESSAGES[403]);
}

/**
 * auto_groups must name groups of the account, never the "All" group. [guess] NetBird's server
 * checks this on user update (422 "provided group ID <id> in the user <id> update doesn't exist",
 * "can't add All group to the user") but not at invite; the sandbox holds create to the same rule
 * with the update's wording, so a saga cannot rely on a group that does not exist.
 */
function groupProblem(autoGroups: string[], tenant: NetbirdTenant): VendorReply | undefined {
  for (const id of autoGroups) {
    const group = tenant.groups.find((g) => g.id === id);
    if (!group) return error(422, `provided group ID ${id} doesn't exist`);
    if (group.name === 'All') return error(422, "can't add All group to the user");
  }
  return undefined;
}

/** An IdP subject such as Zitadel's numeric ids [guess: the sandbox imitates Zitadel]. */
function idpSubject(): string {
  return String(randomInt(1e8, 1e9)) + String(randomInt(1e8, 1e9));
}

/**
 * The handler's checks, in its order: a wrong JSON type fails decoding (400); the rest is 422.
 * [guess] NetBird's Go server would decode a missing `auto_groups`/`is_service_user` as zero
 * values; the sandbox holds clients to the contract, which requires them. `owner` is refused
 * with its own wording [guess].
 */
function problemOf(body: Record<string, unknown>): VendorReply | undefined {
  const typeProblems = checkFields(body, {
    email: { type: 'string', nullable: true },
    name: { type: 'string', nullable: true },
    role: { type: 'string', nullable: true },
    auto_groups: { type: 'string[]', nullable: true },
    is_service_user: { type: 'boolean', nullable: true },
  });
  if (typeProblems.length > 0) return error(400, "couldn't parse JSON request");
  for (const field of ['auto_groups', 'is_service_user']) if (body[field] === undefined) return error(422, `${field} is required`);
  const isService = body.is_service_user === true;
  if (!isService && !body.email) return error(422, 'email is required');
  if (!isService && !body.name) return error(422, 'name is required');
  const role = body.role as string | undefined;
  if (role === 'owner') return error(422, 'can\'t create a user with owner role');
  if (!role || !(ROLES as readonly string[]).includes(role)) return error(422, 'invalid user role');
  const formatProblems: Problem[] = isService ? [] : checkFields(body, { email: { type: 'string', format: 'email' } });
  // [guess] the IdP refuses a malformed address; NetBird passes that on as 422.
  if (formatProblems.length > 0) return error(422, 'invalid email format');
  return undefined;
}

export const netbird: VendorDefinition<Credentials, NetbirdUser, NetbirdTenant> = {
  name: 'netbird',
  basePath: '/api',
  rateLimit: {
    documented: { limit: 120, windowMs: 60_000, burst: 1200 },
    // NetBird documents no rate-limit headers and no Retry-After.
    headers: () => ({}),
  },
  authenticate(headers, credentials) {
    const match = /^(Token|Bearer) (.+)$/i.exec(headers.authorization ?? '');
    return match?.[2] === credentials.token ? undefined : error(401, DEFAULT_MESSAGES[401]);
  },
  error(status, cause) {
    if (cause === 'bad-json') return error(400, "couldn't parse JSON request");
    return error(status, DEFAULT_MESSAGES[status] ?? 'error');
  },
  routes({ store, tenant, route }) {
    // The account's groups [doc: GET /api/groups], so the provisioning rules can be checked.
    route('GET', '/groups', () => json(200, tenant().groups.map((g) => ({ id: g.id, name: g.name, peers_count: 0, issued: 'api' }))));
    // The handler's order [doc: server code]: decode (400), the invite's own checks (422), the
    // permission (403), then the account's groups [guess] and the duplicate (409).
    route('POST', '/users', ({ body }) => {
      if (!isPlainObject(body)) return error(400, "couldn't parse JSON request");
      const refusal = problemOf(body) ?? denied(tenant(), 'create') ?? groupProblem((body.auto_groups as string[] | null) ?? [], tenant());
      if (refusal) return refusal;
      const isService = body.is_service_user === true;
      const email = isService ? '' : (body.email as string);
      if (!isService && store.holderOf(email)) return error(409, "can't invite a user with an existing netbird account");
      const user: NetbirdUser = {
        id: store.freshId(isService ? randomUUID : idpSubject),
        email,
        name: (body.name as string | undefined) ?? '',
        role: body.role as string,
        status: isService ? 'active' : 'invited',
        auto_groups: (body.auto_groups as string[] | null | undefined) ?? [],
        is_current: false,
        is_service_user: isService,
        is_blocked: false,
        last_login: NEVER,
        issued: 'api',
      };
      store.add({ id: user.id, email, state: user.status === 'invited' ? 'invited' : 'active', body: user });
      return json(200, user);
    });

    // A plain array, no paging and no email filter: clients filter on their side. It is also the
    // only way to read a user by id [doc]. Without the read permission NetBird lists only the
    // caller's own user [doc: server code], who is not among the sandbox's users: [].
    route('GET', '/users', ({ query }) => {
      const serviceFilter = query.service_user === undefined ? undefined : query.service_user === 'true';
      const users = tenant().permissions.users.includes('read') ? store.live().map((u) => u.body) : [];
      return json(200, serviceFilter === undefined ? users : users.filter((u) => u.is_service_user === serviceFilter));
    });

    // No GET by id [doc: only PUT and DELETE live here]; gorilla/mux answers another method on a
    // known path 405 with no body [guess].
    route('GET', '/users/:userId', () => ({ status: 405 }));

    route('DELETE', '/users/:userId', ({ params }) => {
      const refusal = denied(tenant(), 'delete');
      if (refusal) return refusal;
      const user = store.get(params.userId);
      if (!user || user.state === 'deleted') return error(404, `user: ${params.userId} not found`);
      user.state = 'deleted';
      return json(200, {});
    });

    route('POST', '/users/:userId/invite', ({ params }) => {
      const refusal = denied(tenant(), 'create');
      if (refusal) return refusal;
      const user = store.get(params.userId);
      if (!user || user.state === 'deleted') return error(404, `user: ${params.userId} not found`);
      if (user.state !== 'invited') return error(412, 'user is already active');
      return json(200, {});
    });
  },
};
