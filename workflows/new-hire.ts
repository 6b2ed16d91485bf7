/**
 * The input of one onboarding: who the hire is and what each vendor needs.
 *
 * Bundled into workflow code: deterministic only (no Node APIs, no I/O, no env, no clock).
 * Names are trimmed and NFC-normalised here, so every vendor mapping receives composed accents
 * and lengths that already fit the tightest vendor limit (MeetBit: 255).
 */
import { z } from 'zod';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The tightest `maxLength` any vendor puts on a name (MeetBit first_name/last_name). */
export const NAME_MAX_LENGTH = 255;

const name = (what: string) =>
  z
    .string()
    .trim()
    .normalize('NFC')
    .min(1, `${what} is required`)
    .max(NAME_MAX_LENGTH, `${what} must be at most ${NAME_MAX_LENGTH} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${what} must not contain control characters`);

/** RFC 5321 caps an address at 254; MeetBit at 255. Kept as given (case and plus tag included). */
const email = z.string().trim().max(254, 'email must be at most 254 characters').pipe(z.email('not a valid email address'));

let timeZones: Set<string> | undefined;
/** An IANA zone name (aliases the runtime knows included); shared with the sandboxes' validation. */
export function isIanaTimeZone(tz: string): boolean {
  timeZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  if (timeZones.has(tz)) return true;
  // Accept IANA aliases the runtime knows but does not list (e.g. Asia/Calcutta), never offsets.
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const timeOfDay = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time HH:MM (00:00-23:59)');
const timeRange = z
  .object({ start: timeOfDay, end: timeOfDay })
  .refine((r) => r.start < r.end, { message: 'end must be after start', path: ['end'] });
const dayHours = z
  .array(timeRange)
  .default([])
  .refine(
    (ranges) => [...ranges].sort((a, b) => a.start.localeCompare(b.start)).every((r, i, all) => i === 0 || all[i - 1]!.end <= r.start),
    'time ranges must not overlap',
  );

const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];
export const DEFAULT_WORK_HOURS = {
  monday: NINE_TO_FIVE,
  tuesday: NINE_TO_FIVE,
  wednesday: NINE_TO_FIVE,
  thursday: NINE_TO_FIVE,
  friday: NINE_TO_FIVE,
  saturday: [],
  sunday: [],
};

/** Weekday → working time ranges; a day left out is not worked. */
export const WorkHoursSchema = z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours])) as Record<Weekday, typeof dayHours>);
export type WorkHours = z.infer<typeof WorkHoursSchema>;

const enabled = z.boolean().default(true);
/** A vendor's own id of something (department, team, group, business): what HR data never holds. */
export const VendorIdSchema = z.string().trim().min(1).max(255);
const uid = VendorIdSchema;

export const NETBIRD_ROLES = ['admin', 'user', 'billing_admin', 'auditor', 'network_admin'] as const;
export const SIIT_CONTRACT_TYPES = ['contract', 'expat', 'fulltime', 'intern', 'parttime', 'temporary'] as const;
export const MEETERGO_CHANNELS = [
  'phone', 'phone-incoming', 'connect', 'google', 'zoom', 'teamsForBusiness2', 'webex', 'whereby', 'kmeet', 'jitsi', 'local', 'local-attendee', 'custom',
] as const;
export const PARTOO_ROLES = ['ORG_ADMIN', 'ORG_MANAGER', 'GROUP_MANAGER', 'BUSINESS_MANAGER', 'PUBLISHER'] as const;
export const PARTOO_LANGS = ['fr', 'en', 'es', 'it', 'pt-br', 'de', 'ar', 'nl', 'pl', 'cs', 'ca', 'sk', 'pt', 'lv', 'ro', 'bg', 'hu'] as const;

/**
 * The booking page's meeting type at meetergo. Its channel has no default here: the hire's
 * schema adds meetergo's ('phone'), a provisioning rule leaves it to the hire or that default.
 */
export const MeetingTypeSchema = z.strictObject({
  name: z.string().trim().min(1).max(255),
  duration: z.number().int().min(5).max(720),
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single dashes').max(100).optional(),
  channel: z.enum(MEETERGO_CHANNELS).optional(),
});

const VendorsSchema = z.strictObject({
  netbird: z
    .strictObject({
      enabled,
      /** `owner` cannot be given through the API. */
      role: z.enum(NETBIRD_ROLES).default('user'),
      autoGroups: z.array(uid).default([]),
    })
    .prefault({}),
  siit: z
    .strictObject({
      enabled,
      departmentUid: uid.optional(),
      teamUids: z.array(uid).optional(),
      reportToUid: uid.optional(),
      legalEntityUid: uid.optional(),
      officeLocationUid: uid.optional(),
      contractType: z.enum(SIIT_CONTRACT_TYPES).optional(),
      /** ISO 3166 alpha-2. */
      country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as "PT"').optional(),
      city: z.string().trim().min(1).max(255).optional(),
      workPhone: z.string().trim().min(1).max(64).optional(),
    })
    .prefault({}),
  meetbit: z
    .strictObject({
      enabled,
      /**
       * Required while enabled (MeetBit has no user without a department): from the input or a
       * provisioning rule, checked once the rules have been applied.
       */
      departmentId: z.number().int().positive().optional(),
      /** Must be an existing MeetBit role name. */
      role: z.string().trim().min(1).max(255).default('User'),
      /**
       * Activate the account at once instead of MeetBit's invitation flow. Needs the key's
       * `users.lock.*` permission; off (not sent) unless asked for.
       */
      activate: z.boolean().optional(),
    })
    .prefault({}),
  meetergo: z
    .strictObject({
      enabled,
      /** Absent: meetergo creates its default "30min Meeting". */
      meetingType: MeetingTypeSchema.extend({ channel: z.enum(MEETERGO_CHANNELS).default('phone') }).optional(),
      /** Overrides of the booking availability; by default it follows `workHours` and `timezone`. */
      availability: z
        .strictObject({
          name: z.string().trim().min(1).max(255).optional(),
          workHours: WorkHoursSchema.optional(),
        })
        .optional(),
    })
    .prefault({}),
  partoo: z
    .strictObject({
      enabled,
      role: z.enum(PARTOO_ROLES).default('BUSINESS_MANAGER'),
      /** Only a PROVIDER key may set it; otherwise the user joins the key's organisation. */
      orgId: z.number().int().positive().optional(),
      /** Used by Partoo only for BUSINESS_MANAGER users. */
      businessIds: z.array(uid).default([]),
      /** Absent: derived from `language` when Partoo supports it. */
      lang: z.enum(PARTOO_LANGS).optional(),
      /** When the held invitation goes out without approval; absent = only on approval. */
      inviteAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2025-03-01T09:00:00+01:00' }).optional(),
    })
    .prefault({}),
});

export const NewHireSchema = z.strictObject({
  /** The HR system's id; part of the workflow id, so restricted to safe characters. */
  employeeId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . -'),
  email,
  firstName: name('firstName'),
  lastName: name('lastName'),
  timezone: z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as Europe/Paris or UTC'),
  startDate: z.iso.date('must be a real date YYYY-MM-DD'),
  jobTitle: z.string().trim().min(1).max(255),
  department: z.string().trim().min(1).max(255),
  /** Where the hire works (an office, a city): matched by provisioning rules. */
  location: z.string().trim().min(1).max(255).optional(),
  /** e.g. "employee", "contractor", "intern": matched by provisioning rules. */
  employmentType: z.string().trim().min(1).max(64).optional(),
  manager: z.strictObject({ name: name('manager.name'), email }).optional(),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or fr-FR')
    .default('en'),
  workHours: WorkHoursSchema.default(DEFAULT_WORK_HOURS),
  /**
   * When a vendor already has an account for the hire's email: "ask" (a person approves adopting
   * it, seeing what the vendor shows of it) or "never" (the onboarding fails at once, naming the
   * vendors, after undoing what it created).
   */
  adoptExisting: z.enum(['ask', 'never']).default('ask'),
  vendors: VendorsSchema.prefault({}),
});

/** The parsed hire, defaults applied: what activities receive. */
export type NewHire = z.infer<typeof NewHireSchema>;
/** What a caller may send (defaults optional). */
export type NewHireInput = z.input<typeof NewHireSchema>;

export interface NewHireIssue {
  /** Dotted path, e.g. `vendors.meetbit.departmentId`; `(input)` for the whole value. */
  field: string;
  message: string;
}

/**
 * What a hire still lacks once its vendor settings are final (its own, or from the provisioning
 * rules): a vendor that cannot create a user without a setting names it here.
 */
export function unprovisionedSettings(hire: NewHire): NewHireIssue[] {
  if (hire.vendors.meetbit.enabled && hire.vendors.meetbit.departmentId === undefined) {
    return [{ field: 'vendors.meetbit.departmentId', message: 'is required while MeetBit is enabled: give it in the hire or in a provisioning rule (ONBOARDING_RULES_FILE)' }];
  }
  return [];
}

export function parseNewHire(input: unknown): { ok: true; value: NewHire } | { ok: false; issues: NewHireIssue[] } {
  const result = NewHireSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.flatMap((issue) => {
      const field = issue.path.map(String).join('.');
      // An unknown key is reported on its parent; name the key itself instead.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ field: field ? `${field}.${key}` : key, message: 'unknown field' }));
      }
      return [{ field: field || '(input)', message: issue.message }];
    }),
  };
}
