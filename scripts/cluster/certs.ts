/**
 * The cluster's mTLS material, made at run time and never committed: a CA, a server certificate
 * (the frontend's, also used between the server's own services) and a client certificate (for
 * workers, the CLI, the gateway and the UI server).
 *
 * Made with the openssl CLI, not an npm library: it is what docs/deployment.md gives operators,
 * so the commands there are the ones this script runs on every `up`; it is on every Linux and
 * macOS machine (and in our Docker image for the compose `certs` job); and it keeps a crypto
 * dependency out of the project. Only options that OpenSSL 1.1, 3.x and LibreSSL share are used
 * (extensions from a config file rather than `-addext`).
 *
 * Usage as a script (docker-compose's one-shot `certs` service): `tsx scripts/cluster/certs.ts DIR [--shared]`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

/** Names and addresses the server certificate is valid for: loopback, and `temporal`, the compose service. */
export const SERVER_SUBJECT_ALT_NAMES = ['DNS:localhost', 'DNS:temporal', 'IP:127.0.0.1'];
const VALIDITY_DAYS = 30;
/** Certificates this close to expiry are made anew on `up`. */
const RENEW_BEFORE_SECONDS = 24 * 3600;

export interface CertificateFiles {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export function certificateFiles(dir: string): CertificateFiles {
  const at = (name: string) => path.join(dir, name);
  return {
    caCert: at('ca.pem'),
    caKey: at('ca.key'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
  };
}

// Extensions per certificate. The server certificate is also a client one (clientAuth): the
// server's services present it to each other under internode mTLS.
const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = ${SERVER_SUBJECT_ALT_NAMES.join(', ')}
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

async function openssl(args: string[]): Promise<void> {
  try {
    await run(process.env.OPENSSL ?? 'openssl', args);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('the openssl CLI is not on PATH (set OPENSSL to its path, or install it: Debian apt-get install openssl)');
    }
    throw new Error(`openssl ${args[0]} failed: ${((err as { stderr?: string }).stderr ?? String(err)).trim()}`);
  }
}

async function valid(cert: string): Promise<boolean> {
  if (!existsSync(cert)) return false;
  try {
    await run(process.env.OPENSSL ?? 'openssl', ['x509', '-in', cert, '-noout', '-checkend', String(RENEW_BEFORE_SECONDS)]);
    return true;
  } catch {
    return false;
  }
}

export interface CertificateOptions {
  /**
   * Keys readable by every user (0644) instead of the owner only (0600). Only for docker-compose,
   * where the server, UI and project containers run as different users and share one volume
   * that nothing else mounts.
   */
  shared?: boolean;
  log?: (message: string) => void;
}

/**
 * Makes the CA and both certificates in `dir`, unless valid ones are there already (idempotent).
 * `made` says they are new: a server still running with the old ones must be restarted.
 */
export async function ensureCertificates(dir: string, options: CertificateOptions = {}): Promise<{ files: CertificateFiles; made: boolean }> {
  const files = certificateFiles(dir);
  const all = Object.values(files);
  if (all.every(existsSync) && (await valid(files.caCert)) && (await valid(files.serverCert)) && (await valid(files.clientCert))) return { files, made: false };

  options.log?.(`Making a CA, a server and a client certificate in ${dir}`);
  mkdirSync(path.dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = path.join(dir, 'openssl.cnf');
  writeFileSync(config, OPENSSL_CONFIG);
  // ECDSA P-256: small and fast, and accepted by Go (server, UI), rustls (the SDK's Core) and Node.
  const newKey = (file: string) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
  const serial = () => `0x${randomBytes(16).toString('hex').replace(/^./, '1')}`;

  await newKey(files.caKey);
  await openssl(['req', '-new', '-x509', '-sha256', '-days', String(VALIDITY_DAYS), '-config', config, '-extensions', 'ca', '-subj', '/CN=Onboarding cluster CA', '-key', files.caKey, '-set_serial', serial(), '-out', files.caCert]);
  for (const [kind, cert, key, subject] of [
    ['server', files.serverCert, files.serverKey, '/CN=temporal-server'],
    ['client', files.clientCert, files.clientKey, '/CN=onboarding-client'],
  ] as const) {
    const csr = `${cert}.csr`;
    await newKey(key);
    await openssl(['req', '-new', '-sha256', '-config', config, '-subj', subject, '-key', key, '-out', csr]);
    await openssl(['x509', '-req', '-sha256', '-days', String(VALIDITY_DAYS), '-in', csr, '-CA', files.caCert, '-CAkey', files.caKey, '-set_serial', serial(), '-extfile', config, '-extensions', kind, '-out', cert]);
    rmSync(csr);
  }
  const keyMode = options.shared ? 0o644 : 0o600;
  for (const key of [files.caKey, files.serverKey, files.clientKey]) chmodSync(key, keyMode);
  for (const cert of [files.caCert, files.serverCert, files.clientCert]) chmodSync(cert, 0o644);
  if (options.shared) chmodSync(dir, 0o755);
  return { files, made: true };
}

if (import.meta.url === `file://${process.argv[1]}` || fileURLToPath(import.meta.url) === process.argv[1]) {
  const [dir, flag] = process.argv.slice(2);
  if (!dir || (flag && flag !== '--shared')) {
    console.error('usage: tsx scripts/cluster/certs.ts DIR [--shared]');
    process.exit(2);
  }
  ensureCertificates(path.resolve(dir), { shared: flag === '--shared', log: console.log }).then(
    ({ files }) => console.log(`Certificates ready: ${Object.values(files).join(' ')}`),
    (err) => {
      console.error(`error: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
