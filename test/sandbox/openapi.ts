/**
 * Validates bodies against the vendors' OpenAPI files with ajv. The files are OpenAPI 3.0
 * (Partoo 3.1): `nullable` becomes a JSON-schema null alternative, `readOnly` properties are not
 * required in requests, and OpenAPI-only keywords are ignored (strict: false).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { VendorName } from '../../workflows/vendors.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_SPECS = path.resolve(repoRoot, '../shared/vendor-specs');
/** The repo's copy of the contracts: what the sandboxes, the tests and the code comments cite. */
export const SPECS_DIR = path.join(repoRoot, 'docs/vendor-specs');

type Json = any;

/** For requests, readOnly properties are neither required nor expected. */
function convert(node: Json, mode: 'request' | 'response'): Json {
  if (Array.isArray(node)) return node.map((n) => convert(n, mode));
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = convert(value, mode);
  if (mode === 'request' && out.properties && Array.isArray(out.required)) {
    out.required = out.required.filter((name: string) => out.properties[name]?.readOnly !== true);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  if (out.nullable === false) delete out.nullable;
  return out;
}

function pointer(doc: Json, ref: string): Json {
  return ref
    .replace(/^#?\//, '')
    .split('/')
    .reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

function escape(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

export class VendorContract {
  readonly doc: Json;
  private readonly ajv: Record<'request' | 'response', Ajv>;

  constructor(readonly vendor: VendorName) {
    this.doc = parse(readFileSync(path.join(SPECS_DIR, `${vendor}.openapi.yaml`), 'utf8'));
    const make = (mode: 'request' | 'response') => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats.default(ajv);
      // Formats the vendors name that JSON schema does not define: only documentation.
      ajv.addFormat('password', true);
      ajv.addFormat('url', true);
      ajv.addSchema(convert(this.doc, mode), 'spec');
      return ajv;
    };
    this.ajv = { request: make('request'), response: make('response') };
  }

  /** The one create operation of the file: its path and operation object. */
  get create(): { path: string; operation: Json } {
    const [createPath, item] = Object.entries(this.doc.paths as Record<string, Json>).find(([, item]) => item.post)!;
    return { path: createPath, operation: item.post };
  }

  /** Status codes the contract documents for create. */
  documentedStatuses(): number[] {
    return Object.keys(this.create.operation.responses).map(Number);
  }

  private validator(mode: 'request' | 'response', location: string): ValidateFunction {
    const validate = this.ajv[mode].getSchema(`spec#${location}`);
    if (!validate) throw new Error(`${this.vendor}: no schema at ${location}`);
    return validate;
  }

  /** ajv's errors for a create request body, or [] when valid. */
  requestErrors(body: unknown): unknown[] {
    const validate = this.validator('request', `/paths/${escape(this.create.path)}/post/requestBody/content/application~1json/schema`);
    return validate(body) ? [] : (validate.errors ?? []);
  }

  /** ajv's errors for `body` against the response schema at a JSON pointer into the file, or [] when valid. */
  schemaErrors(location: string, body: unknown): unknown[] {
    const validate = this.validator('response', location);
    return validate(body) ? [] : (validate.errors ?? []);
  }

  /**
   * ajv's errors for a create response, or [] when valid. Throws when the status is not
   * documented; a documented response without content accepts any body.
   */
  responseErrors(status: number, body: unknown, contentType: string): unknown[] {
    const base = `/paths/${escape(this.create.path)}/post/responses`;
    let response = pointer(this.doc, `${base}/${status}`);
    if (!response) throw new Error(`${this.vendor}: create does not document ${status}`);
    let location = `${base}/${status}`;
    if (response.$ref) {
      location = response.$ref.slice(1);
      response = pointer(this.doc, response.$ref);
    }
    const mediaTypes = Object.keys(response.content ?? {});
    if (mediaTypes.length === 0) return [];
    const mediaType = contentType.split(';')[0].trim();
    if (!mediaTypes.includes(mediaType)) return [{ message: `content type ${mediaType} not in ${mediaTypes.join(', ')}` }];
    if (!response.content[mediaType].schema) return [];
    const validate = this.validator('response', `${location}/content/${escape(mediaType)}/schema`);
    return validate(body) ? [] : (validate.errors ?? []);
  }
}
