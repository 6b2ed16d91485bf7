/**
 * Demo credentials every sandbox accepts unless told otherwise (options or env, see config.ts).
 * They are short literals on purpose: they open nothing but a local simulator, and the repo's
 * secret check flags long key-like strings.
 */
export const SANDBOX_CREDENTIALS = {
  netbird: { token: 'nbp_sandbox_demo' },
  siit: { token: 'siit-sandbox-demo' },
  meetbit: { accessKeyId: 'mb-sandbox-id', accessKeySecret: 'mb-sandbox-secret' },
  // meetergo keys look like `ak_live:<uuid>:<secret>`; the sandbox only compares the whole value.
  meetergo: { apiKey: 'ak_sandbox_demo', actingUserId: '00000000-0000-4000-8000-000000000001' },
  partoo: { apiKey: 'partoo-sandbox-demo' },
};

export type SandboxCredentials = typeof SANDBOX_CREDENTIALS;

/** The headers a client of each vendor sends with `credentials` (the load check and tests use them). */
export function authHeaders(vendor: keyof SandboxCredentials, credentials: SandboxCredentials = SANDBOX_CREDENTIALS): Record<string, string> {
  switch (vendor) {
    case 'netbird':
      return { authorization: `Token ${credentials.netbird.token}` };
    case 'siit':
      return { authorization: `Bearer ${credentials.siit.token}` };
    case 'meetbit':
      return { 'x-access-key-id': credentials.meetbit.accessKeyId, 'x-access-key-secret': credentials.meetbit.accessKeySecret };
    case 'meetergo':
      return { authorization: `Bearer ${credentials.meetergo.apiKey}`, 'x-meetergo-api-user-id': credentials.meetergo.actingUserId };
    case 'partoo':
      return { 'x-apikey': credentials.partoo.apiKey };
  }
}
