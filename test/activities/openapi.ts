/**
 * Validates request bodies against the vendors' OpenAPI create-request schemas
 * (../shared/vendor-specs), with ajv. OpenAPI is not quite JSON Schema, so the schema is adapted:
 * 3.0 `nullable` becomes a null type, and `readOnly` properties (MeetBit's `id`, timestamps) are
 * not required in a request. `$ref`s resolve inside the document; `allOf` is plain JSON Schema.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import type { VendorName } from '../../workflows/vendors.js';

const SPECS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/vendor-specs');

/** Each vendor's create operation, as the spec names its path. */
const CREATE_PATHS: Record<VendorName, string> = {
  netbird: '/api/users',
  siit: '/v1/users',
  meetbit: '/users',
  meetergo: '/v4/user',
  partoo: '/user',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function adapt(node: Json): Json {
  if (Array.isArray(node)) return node.map(adapt);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node;
  const out: { [key: string]: Json } = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, adapt(v)]));
  const properties = out.properties as { [key: string]: { readOnly?: boolean } } | undefined;
  if (Array.isArray(out.required) && properties) {
    out.required = out.required.filter((name) => !properties[name as string]?.readOnly);
  }
  if (nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const validators = new Map<VendorName, ValidateFunction>();

export function createRequestValidator(vendor: VendorName): ValidateFunction {
  let validate = validators.get(vendor);
  if (!validate) {
    const doc = adapt(parse(readFileSync(path.join(SPECS_DIR, `${vendor}.openapi.yaml`), 'utf8')) as Json) as { [key: string]: any };
    const schema = doc.paths[CREATE_PATHS[vendor]].post.requestBody.content['application/json'].schema;
    // `#/components/...` refs resolve against the schema's root, so the components travel with it.
    validate = ajv.compile({ ...schema, components: doc.components });
    validators.set(vendor, validate);
  }
  return validate;
}

/** Problems of a body against the vendor's create request schema; empty when valid. */
export function createRequestProblems(vendor: VendorName, body: unknown): string[] {
  const validate = createRequestValidator(vendor);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
}
