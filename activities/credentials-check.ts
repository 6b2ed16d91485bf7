/**
 * Does a vendor accept the credentials the worker would use? One read-only call (the vendor's
 * smallest list page, each vendor module's `probe`), read the way a person fixing the
 * configuration needs it: which variable to change. For `npm run onboard -- doctor`.
 * Nothing here ever shows a credential: messages carry variable names and the vendor's own words.
 */
import { ApplicationFailure } from '@temporalio/common';
import { VENDOR_VARIABLES, vendorVariables, type VendorsConfig } from '../config/environment.js';
import { VENDOR_LABELS, type VendorName } from '../workflows/vendors.js';
import { describeVendorError, isSuccess, type VendorResponse } from './http.js';
import { meetbitProbe } from './meetbit.js';
import { meetergoProbe } from './meetergo.js';
import { netbirdProbe } from './netbird.js';
import { partooProbe } from './partoo.js';
import { siitProbe } from './siit.js';

const PROBES: { [V in VendorName]: (config: VendorsConfig[V]) => Promise<VendorResponse> } = {
  netbird: netbirdProbe,
  siit: siitProbe,
  meetbit: meetbitProbe,
  meetergo: meetergoProbe,
  partoo: partooProbe,
};

export interface CredentialsVerdict {
  ok: boolean;
  /** What was found, and when not ok, what to fix, by variable name. */
  detail: string;
}

export async function checkVendorCredentials<V extends VendorName>(vendor: V, config: VendorsConfig[V]): Promise<CredentialsVerdict> {
  const label = VENDOR_LABELS[vendor];
  const baseUrlVariable = VENDOR_VARIABLES[vendor].baseUrl;
  const credentials = vendorVariables(vendor).filter((name) => name !== baseUrlVariable);
  let res: VendorResponse;
  try {
    res = await PROBES[vendor](config);
  } catch (err) {
    // vendorHttp turns a connection failure into a VendorUnavailable failure naming the code.
    const code = err instanceof ApplicationFailure ? (err.details?.[0] as { code?: string } | undefined)?.code : undefined;
    return { ok: false, detail: `cannot reach ${config.baseUrl} (${code ?? (err as Error).message}): check ${baseUrlVariable}` };
  }
  const said = describeVendorError(res.body).message;
  const answer = `${res.status}${said ? `: ${said}` : ''}`;
  const s = res.status;
  if (isSuccess(res)) return { ok: true, detail: `credentials accepted (${credentials.join(', ')}): a one-user list answered ${s}` };
  // Not the activities' classifier (vendorFailure), which decides whether a retry can help: this
  // decides which variable a person should look at.
  if (s === 401 || s === 403) {
    // Every credential variable is named (for meetergo, the key and the acting admin): which one
    // is wrong is not in the status, and a vendor's wording is not ours to match.
    const what = s === 401 ? 'refused the credentials' : 'accepted the credentials but refused the read (a missing permission or subscription)';
    return { ok: false, detail: `${label} ${what} (${answer}): fix ${credentials.join(' / ')}` };
  }
  if (s >= 300 && s < 400) {
    return { ok: false, detail: `${label} redirects (${s} to ${String(res.headers.location ?? '?')}): check ${baseUrlVariable} (https, and the API's base path)` };
  }
  if (s === 404 || s === 405) return { ok: false, detail: `no user list at ${config.baseUrl} (${answer}): check ${baseUrlVariable} (it must include the API's base path)` };
  if (s === 429) return { ok: false, detail: `${label} is rate-limiting these credentials (429): run doctor again in a minute` };
  return { ok: false, detail: `${label} answered ${answer}` };
}
