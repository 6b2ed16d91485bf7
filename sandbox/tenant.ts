/**
 * The tenant each sandbox starts from: what exists in the vendor account the API key opens
 * (roles, departments, teams, groups, businesses) and what the key may do. A real vendor refuses
 * a reference to something that does not exist, or a call the key has no permission for; so does
 * the sandbox, from this fixture.
 *
 * DEFAULT_TENANTS keeps the project's tests and demo working (MeetBit departments 1 and 7, role
 * "User", NetBird group "engineering", ...). Override per vendor through `startSandboxes({ tenants })`,
 * `SANDBOX_<VENDOR>_TENANT` (JSON) for `npm run sandbox`, or at run time through
 * `sb.vendors.<vendor>.setTenant()` / `PUT /_sandbox/tenant`. An override replaces the fields it
 * names and keeps the default's others.
 */
import { z } from 'zod';
import type { VendorName } from '../workflows/vendors.js';
import type { SandboxCredentials } from './credentials.js';

const uidValue = z.strictObject({ uid: z.string().min(1), value: z.string().min(1) });

/** NetBird's permission operations on its "users" module (management/server/permissions). */
const NETBIRD_USER_OPERATIONS = ['read', 'create', 'update', 'delete'] as const;

const netbirdTenantSchema = z.strictObject({
  /**
   * The account's groups: `auto_groups` must name their ids (real ids are xids such as
   * "ch8i4ug6lnn4g9hqv7m0"; the fixture uses readable ones). A group named "All" exists in every
   * account and cannot be given to a user.
   */
  groups: z.array(z.strictObject({ id: z.string().min(1), name: z.string().min(1) })),
  /** What the PAT's user may do with users: create (also re-invite), read, update, delete. */
  permissions: z.strictObject({ users: z.array(z.enum(NETBIRD_USER_OPERATIONS)) }),
});

const siitTenantSchema = z.strictObject({
  /** The relationship objects user_write's uid fields must name (`department`, `teams`, ...). */
  departments: z.array(uidValue),
  teams: z.array(uidValue),
  legalEntities: z.array(uidValue),
  officeLocations: z.array(uidValue),
  // report_to names a Siit user: any user the sandbox holds.
});

/** MeetBit's permission names: create and lock are documented on its page; read and delete are [guess]. */
const MEETBIT_PERMISSIONS = ['users.create.*', 'users.lock.*', 'users.read.*', 'users.delete.*'] as const;

const meetbitTenantSchema = z.strictObject({
  /** `department_id` must be one of these ids; `department_name` shows the name. */
  departments: z.array(z.strictObject({ id: z.number().int().positive(), name: z.string().min(1) })),
  /** `role` must be one of these names ("Must be an existing Role name"), compared exactly [guess]. */
  roles: z.array(z.string().min(1)),
  /** The access key's permissions. */
  permissions: z.array(z.string().min(1)),
});

const meetergoTenantSchema = z.strictObject({
  /** The company every user is created in. */
  companyId: z.uuid(),
  /** The company's API Platform subscription: without it, create is 403 [doc]. */
  apiPlatform: z.boolean(),
  /** A Platform API Key creates users; a Personal Access Token cannot [doc] (403 [guess]). */
  keyType: z.enum(['platform', 'personal']),
  /**
   * Users who may act through `x-meetergo-api-user-id`: the company admins. Default: the
   * configured acting user (credentials).
   */
  companyAdmins: z.array(z.uuid()),
});

const partooTenantSchema = z.strictObject({
  /** The organization of the API key: every user created joins it. */
  orgId: z.number().int().positive(),
  /** Businesses of the organization: `business_ids` must name their ids. */
  businesses: z.array(z.strictObject({ id: z.string().min(1), name: z.string().min(1) })),
  /** Custom roles available to the organization: `custom_role` must name an `apiId`. */
  customRoles: z.array(z.strictObject({ apiId: z.string().min(1), name: z.string().min(1) })),
  /** The key's access on its organization: creating (and deleting, inviting) needs WRITE [doc]. */
  keyAccess: z.enum(['WRITE', 'READ']),
});

const TENANT_SCHEMAS = {
  netbird: netbirdTenantSchema,
  siit: siitTenantSchema,
  meetbit: meetbitTenantSchema,
  meetergo: meetergoTenantSchema,
  partoo: partooTenantSchema,
} as const;

export type SandboxTenants = { [V in VendorName]: z.infer<(typeof TENANT_SCHEMAS)[V]> };
export type NetbirdTenant = SandboxTenants['netbird'];
export type SiitTenant = SandboxTenants['siit'];
export type MeetbitTenant = SandboxTenants['meetbit'];
export type MeetergoTenant = SandboxTenants['meetergo'];
export type PartooTenant = SandboxTenants['partoo'];
/** Fields to change over a vendor's default tenant. */
export type TenantOverrides = { [V in VendorName]?: Partial<SandboxTenants[V]> };

/**
 * Tenant fields whose default follows the credentials a sandbox starts with, not a fixed value:
 * meetergo's company admins are the acting user the credentials name, so changing that user alone
 * keeps a working key.
 */
type FromCredentials = { meetergo: 'companyAdmins' };
const FROM_CREDENTIALS: { [V in keyof FromCredentials]: (credentials: SandboxCredentials[V]) => Pick<SandboxTenants[V], FromCredentials[V]> } = {
  meetergo: (credentials) => ({ companyAdmins: [credentials.actingUserId] }),
};

/** Each vendor's default tenant, but for the fields FROM_CREDENTIALS gives. */
export const DEFAULT_TENANTS: { [V in VendorName]: Omit<SandboxTenants[V], V extends keyof FromCredentials ? FromCredentials[V] : never> } = {
  netbird: {
    groups: [
      { id: 'all', name: 'All' },
      { id: 'engineering', name: 'Engineering' },
      { id: 'sales', name: 'Sales' },
      { id: 'support', name: 'Support' },
    ],
    permissions: { users: ['read', 'create', 'update', 'delete'] },
  },
  siit: {
    departments: [
      { uid: 'dep_engineering', value: 'Engineering' },
      { uid: 'dep_platform', value: 'Platform' },
      { uid: 'dep_sales', value: 'Sales' },
    ],
    teams: [
      { uid: 'team_sre', value: 'Site Reliability' },
      { uid: 'team_backend', value: 'Backend' },
    ],
    legalEntities: [{ uid: 'le_example', value: 'Example SAS' }],
    officeLocations: [
      { uid: 'ol_paris', value: 'Paris' },
      { uid: 'ol_london', value: 'London' },
    ],
  },
  meetbit: {
    departments: [
      { id: 1, name: 'General' },
      { id: 3, name: 'Sales' },
      { id: 7, name: 'Engineering' },
    ],
    roles: ['Admin', 'Manager', 'User'],
    permissions: [...MEETBIT_PERMISSIONS],
  },
  meetergo: {
    companyId: '00000000-0000-4000-8000-00000000c0de',
    apiPlatform: true,
    keyType: 'platform',
  },
  partoo: {
    orgId: 4242,
    businesses: [
      { id: '64b7f0c2a1e4d5f6a7b8c901', name: 'Example Paris' },
      { id: '64b7f0c2a1e4d5f6a7b8c902', name: 'Example Lyon' },
    ],
    customRoles: [{ apiId: 'store_manager', name: 'Store manager' }],
    keyAccess: 'WRITE',
  },
};

/** Reads an override for `vendor` (e.g. from JSON); throws naming `source` and every bad field. */
export function parseTenantOverride<V extends VendorName>(vendor: V, value: unknown, source: string): Partial<SandboxTenants[V]> {
  const parsed = (TENANT_SCHEMAS[vendor] as z.ZodObject).partial().safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(tenant)'}: ${i.message}`).join('; ');
    throw new Error(`${source}: ${issues}`);
  }
  return parsed.data as Partial<SandboxTenants[V]>;
}

/** The vendor's tenant: its default (with the fields from `credentials`), then `override`'s fields. */
export function resolveTenant<V extends VendorName>(vendor: V, override: Partial<SandboxTenants[V]> | undefined, credentials: SandboxCredentials[V]): SandboxTenants[V] {
  const fromCredentials = (FROM_CREDENTIALS as Partial<Record<VendorName, (credentials: SandboxCredentials[V]) => object>>)[vendor]?.(credentials);
  return { ...structuredClone(DEFAULT_TENANTS[vendor]), ...fromCredentials, ...structuredClone(override ?? {}) } as SandboxTenants[V];
}
