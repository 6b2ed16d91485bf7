/**
 * The create, read and remove calls are the same dance at every vendor (POST → 2xx | duplicate |
 * failure; GET → 2xx | 404 | failure; DELETE/PATCH → 2xx | 404 | failure): each vendor module
 * describes its own in a table, this builds the `VendorUserApi` from it.
 */

/** Statuses a vendor may use to refuse a create because the email is taken (documented or not). */
const MAYBE_DUPLICATE = [400, 409, 422];
import type { z } from 'zod';
import { ConfigError, omitVariable, type Problem } from '../config/environment.js';
import type { NewHire } from '../workflows/new-hire.js';
import { VENDOR_LABELS, type VendorName } from '../workflows/vendors.js';
import { isSuccess, parseVendorJson, vendorFailure, type VendorHttp } from './http.js';
import type { CreateAnswer, FoundUser, VendorUserApi } from './user-lifecycle.js';

export interface RestUserSpec<Created extends z.ZodType> {
  http: VendorHttp;
  create: {
    path: string;
    /** The pure NewHire → request body mapping. */
    body: (hire: NewHire) => unknown;
    response: Created;
    user: (body: z.infer<Created>) => FoundUser;
    /** The request body's contract: its fields are the ones `omit` may name. */
    request: z.ZodObject;
    /** What the vendor's create contract requires (its docs/vendor-specs/ spec): never left out. */
    required: readonly string[];
    /** Request fields this tenant refuses to have set (`<VENDOR>_OMIT_FIELDS`); never a required one. */
    omit?: readonly string[];
  };
  findByEmail: (email: string) => Promise<FoundUser | undefined>;
  /** The live user by id; undefined when the vendor does not have it (or no longer counts it live). */
  findById: (id: string) => Promise<FoundUser | undefined>;
  remove: {
    method: 'DELETE' | 'PATCH';
    path: (id: string) => string;
  };
}

/** Throws a ConfigError for a bad `<VENDOR>_OMIT_FIELDS`: the worker refuses to start, as for any bad variable. */
export function restUserApi<Created extends z.ZodType>(spec: RestUserSpec<Created>): VendorUserApi {
  const { http, create, remove } = spec;
  checkOmittable(http.vendor, create.omit, Object.keys(create.request.shape), create.required);
  return {
    vendor: http.vendor,
    async create(hire): Promise<CreateAnswer> {
      const res = await http.send('create', 'POST', create.path, { json: omitted(create.body(hire), create.omit) });
      if (isSuccess(res)) return { outcome: 'created', user: create.user(parseVendorJson(http.vendor, 'create', create.response, res)) };
      // Decided by state, not wording: most vendors do not document how they refuse a taken email
      // (and a message matched by a regex can only agree with our own sandbox). If a live user
      // with this email exists now, the refusal was "taken"; otherwise it stands as it was given.
      if (MAYBE_DUPLICATE.includes(res.status)) {
        const existing = await spec.findByEmail(hire.email);
        if (existing) return { outcome: 'duplicate', existing };
      }
      throw vendorFailure(http.vendor, 'create', res);
    },
    findByEmail: spec.findByEmail,
    findById: spec.findById,
    async remove(id) {
      const res = await http.send('undo', remove.method, remove.path(id));
      if (isSuccess(res)) return 'removed';
      // Not "already gone" yet: user-lifecycle reads the user again to tell a gone user from a
      // wrong route.
      if (res.status === 404) return 'not-found';
      throw vendorFailure(http.vendor, 'undo', res);
    },
  };
}

/**
 * The fields of `omit` (from `<VENDOR>_OMIT_FIELDS`), checked against what we send and what the
 * vendor's contract requires: a typo or a required field is a configuration error at start,
 * naming the variable, not a refused create later. Here rather than in the config loader because
 * only the vendor's module knows its request's fields.
 */
function checkOmittable(vendor: VendorName, omit: readonly string[] | undefined, sent: readonly string[], required: readonly string[]): void {
  const variable = omitVariable(vendor);
  const label = VENDOR_LABELS[vendor];
  const problems: Problem[] = (omit ?? []).flatMap((field) => {
    if (!sent.includes(field)) return [{ variable, message: `${field} is not a field of the ${label} create request (${sent.join(', ')})` }];
    if (required.includes(field)) return [{ variable, message: `${field} is required by ${label}'s create contract and cannot be left out` }];
    return [];
  });
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The request body without the fields a tenant does not let us set. */
function omitted(body: unknown, omit: readonly string[] | undefined): unknown {
  if (!omit?.length || !body || typeof body !== 'object') return body;
  return Object.fromEntries(Object.entries(body).filter(([field]) => !omit.includes(field)));
}

/** GETs one user by id: undefined on 404, else parsed by contract (failures through the classifier). */
export async function getById<S extends z.ZodType>(http: VendorHttp, path: string, schema: S): Promise<z.infer<S> | undefined> {
  const res = await http.send('look-up', 'GET', path);
  if (res.status === 404) return undefined;
  if (!isSuccess(res)) throw vendorFailure(http.vendor, 'look-up', res);
  return parseVendorJson(http.vendor, 'look-up', schema, res);
}

/** GETs a look-up, failing through the classifier on non-2xx and parsing the body by contract. */
export async function lookUp<S extends z.ZodType>(http: VendorHttp, path: string, searchParams: Record<string, string | number> | URLSearchParams, schema: S): Promise<z.infer<S>> {
  const res = await http.send('look-up', 'GET', path, { searchParams });
  if (!isSuccess(res)) throw vendorFailure(http.vendor, 'look-up', res);
  return parseVendorJson(http.vendor, 'look-up', schema, res);
}
