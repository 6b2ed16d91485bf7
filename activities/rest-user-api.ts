/**
 * The create, read and remove calls are the same dance at every vendor (POST → 2xx | duplicate |
 * failure; GET → 2xx | 404 | failure; DELETE/PATCH → 2xx | 404 | failure): each vendor module
 * describes its own in a table, this builds the `VendorUserApi` from it.
 */
import type { z } from 'zod';
import type { NewHire } from '../workflows/new-hire.js';
import { parseVendorJson, vendorFailure, type VendorHttp, type VendorResponse } from './http.js';
import type { CreateAnswer, FoundUser, VendorUserApi } from './user-lifecycle.js';

export interface RestUserSpec<Created extends z.ZodType> {
  http: VendorHttp;
  create: {
    path: string;
    /** The pure NewHire → request body mapping. */
    body: (hire: NewHire) => unknown;
    response: Created;
    user: (body: z.infer<Created>) => FoundUser;
    /** Whether a non-2xx answer is the vendor's "this email already exists". */
    isDuplicate: (res: VendorResponse) => boolean;
    /** The existing user, when the duplicate answer carries it. */
    existing?: (res: VendorResponse) => FoundUser | undefined;
    headers?: Record<string, string>;
  };
  findByEmail: (email: string) => Promise<FoundUser | undefined>;
  /** The live user by id; undefined when the vendor does not have it (or no longer counts it live). */
  findById: (id: string) => Promise<FoundUser | undefined>;
  remove: {
    method: 'DELETE' | 'PATCH';
    path: (id: string) => string;
    headers?: Record<string, string>;
  };
}

export const isSuccess = (res: VendorResponse): boolean => res.status >= 200 && res.status < 300;

export function restUserApi<Created extends z.ZodType>(spec: RestUserSpec<Created>): VendorUserApi {
  const { http, create, remove } = spec;
  return {
    vendor: http.vendor,
    async create(hire): Promise<CreateAnswer> {
      const res = await http.send('create', 'POST', create.path, { json: create.body(hire), headers: create.headers });
      if (isSuccess(res)) return { outcome: 'created', user: create.user(parseVendorJson(http.vendor, 'create', create.response, res)) };
      if (create.isDuplicate(res)) return { outcome: 'duplicate', existing: create.existing?.(res) };
      throw vendorFailure(http.vendor, 'create', res);
    },
    findByEmail: spec.findByEmail,
    findById: spec.findById,
    async remove(id) {
      const res = await http.send('undo', remove.method, remove.path(id), { headers: remove.headers });
      if (isSuccess(res)) return 'removed';
      // Not "already gone" yet: user-lifecycle reads the user again to tell a gone user from a
      // wrong route.
      if (res.status === 404) return 'not-found';
      throw vendorFailure(http.vendor, 'undo', res);
    },
  };
}

/** GETs one user by id: undefined on 404, else parsed by contract (failures through the classifier). */
export async function getById<S extends z.ZodType>(http: VendorHttp, path: string, schema: S, headers?: Record<string, string>): Promise<z.infer<S> | undefined> {
  const res = await http.send('look-up', 'GET', path, { headers });
  if (res.status === 404) return undefined;
  if (!isSuccess(res)) throw vendorFailure(http.vendor, 'look-up', res);
  return parseVendorJson(http.vendor, 'look-up', schema, res);
}

/** GETs a look-up, failing through the classifier on non-2xx and parsing the body by contract. */
export async function lookUp<S extends z.ZodType>(
  http: VendorHttp,
  path: string,
  searchParams: Record<string, string | number> | URLSearchParams,
  schema: S,
  headers?: Record<string, string>,
): Promise<z.infer<S>> {
  const res = await http.send('look-up', 'GET', path, { searchParams, headers });
  if (!isSuccess(res)) throw vendorFailure(http.vendor, 'look-up', res);
  return parseVendorJson(http.vendor, 'look-up', schema, res);
}
