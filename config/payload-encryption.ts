/**
 * Payload encryption and the codec server, as sections of the one loader (config/environment.ts).
 *
 * Keys come from the environment or a key file, never from the repo:
 * - PAYLOAD_KEYS: `<id>:<key>` entries separated by commas, oldest first;
 * - PAYLOAD_KEY_FILE: a file of the same entries, one per line (blank lines and `#` comments
 *   allowed), oldest first.
 * The LAST key listed encrypts (the newest), every key listed decrypts: rotating is appending a
 * new key and keeping the old ones while onboardings written with them may still run. A key is
 * 32 random bytes in base64 (`openssl rand -base64 32`) or hex. Without a key the processes refuse
 * to start, unless PAYLOAD_ENCRYPTION=off says that plain text is wanted.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { KEY_BYTES, type PayloadKey } from '../codec/encryption-codec.js';

export type PayloadEncryptionConfig =
  | {
      encrypt: true;
      /** Oldest first; the last one encrypts. */
      keys: PayloadKey[];
      /** Where they came from, for the start-up line: `PAYLOAD_KEYS` or the key file's path. */
      source: string;
    }
  | { encrypt: false };

type Problem = { variable: string; message: string };

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const HOW_TO_MAKE = 'e.g. "k1:$(openssl rand -base64 32)"';

/** Parses `<id>:<key>` entries; problems never quote a key. */
export function parsePayloadKeys(entries: string[], where: (index: number) => string): { keys: PayloadKey[]; problems: string[] } {
  const keys: PayloadKey[] = [];
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon).trim() : '';
    const material = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!KEY_ID.test(id) || !material) {
      problems.push(`${where(index)} must be <id>:<key> with an id of 1-64 characters A-Z a-z 0-9 . _ - (${HOW_TO_MAKE})`);
      return;
    }
    const key = /^[0-9a-fA-F]{64}$/.test(material) ? Buffer.from(material, 'hex') : /^[A-Za-z0-9+/]+={0,2}$/.test(material) ? Buffer.from(material, 'base64') : undefined;
    if (!key || key.length !== KEY_BYTES) {
      problems.push(`key "${id}" must be ${KEY_BYTES} random bytes in base64 or hex (${HOW_TO_MAKE})`);
      return;
    }
    if (keys.some((k) => k.id === id)) {
      problems.push(`key id "${id}" is listed twice: each key needs its own id (it is stored beside every payload it encrypts)`);
      return;
    }
    keys.push({ id, key });
  });
  return { keys, problems };
}

export function readPayloadEncryption(env: Record<string, string>): { config?: PayloadEncryptionConfig; problems: Problem[] } {
  const mode = (env.PAYLOAD_ENCRYPTION ?? 'on').trim().toLowerCase();
  if (mode !== 'on' && mode !== 'off') return { problems: [{ variable: 'PAYLOAD_ENCRYPTION', message: 'must be "on" (the default) or "off"' }] };
  const inline = env.PAYLOAD_KEYS;
  const file = env.PAYLOAD_KEY_FILE;
  if (mode === 'off') {
    // Keys beside "off" would mean two opposite wishes: say so rather than guess.
    const set = [inline && 'PAYLOAD_KEYS', file && 'PAYLOAD_KEY_FILE'].filter(Boolean);
    if (set.length > 0) return { problems: [{ variable: 'PAYLOAD_ENCRYPTION', message: `is "off", but ${set.join(' and ')} is set too: remove one` }] };
    return { config: { encrypt: false }, problems: [] };
  }
  if (inline && file) return { problems: [{ variable: 'PAYLOAD_KEYS', message: 'and PAYLOAD_KEY_FILE are both set: set one (the order of the keys says which encrypts)' }] };
  if (!inline && !file) {
    return {
      problems: [
        {
          variable: 'PAYLOAD_KEYS',
          message:
            `is required: payloads (the hire's personal data) are encrypted before they reach Temporal. Set PAYLOAD_KEYS (${HOW_TO_MAKE}) ` +
            'or PAYLOAD_KEY_FILE (a file of such lines), or PAYLOAD_ENCRYPTION=off to store them in plain text on purpose',
        },
      ],
    };
  }
  if (inline) {
    const { keys, problems } = parsePayloadKeys(
      inline.split(',').map((e) => e.trim()).filter(Boolean),
      (i) => `entry ${i + 1}`,
    );
    if (problems.length > 0) return { problems: problems.map((message) => ({ variable: 'PAYLOAD_KEYS', message })) };
    if (keys.length === 0) return { problems: [{ variable: 'PAYLOAD_KEYS', message: `holds no key (${HOW_TO_MAKE})` }] };
    return { config: { encrypt: true, keys, source: 'PAYLOAD_KEYS' }, problems: [] };
  }
  const path = file!;
  const fileProblem = !existsSync(path) ? `no such file: ${path}` : !statSync(path).isFile() ? `${path} is not a file` : unreadable(path);
  if (fileProblem) return { problems: [{ variable: 'PAYLOAD_KEY_FILE', message: fileProblem }] };
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line && !line.startsWith('#'));
  const { keys, problems } = parsePayloadKeys(
    lines.map((l) => l.line),
    (i) => `line ${lines[i]!.number} of ${path}`,
  );
  if (problems.length > 0) return { problems: problems.map((message) => ({ variable: 'PAYLOAD_KEY_FILE', message })) };
  if (keys.length === 0) return { problems: [{ variable: 'PAYLOAD_KEY_FILE', message: `${path} holds no key (one <id>:<key> per line, ${HOW_TO_MAKE})` }] };
  return { config: { encrypt: true, keys, source: path }, problems: [] };
}

function unreadable(path: string): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch {
    return `cannot read ${path} (permissions)`;
  }
}

/** One line for a process's start-up output: which key encrypts, or that nothing is encrypted. */
export function describePayloadEncryption(config: PayloadEncryptionConfig): string {
  if (!config.encrypt) {
    return "WARNING: PAYLOAD_ENCRYPTION=off: payloads (the hire's personal data) are stored in Temporal in plain text.";
  }
  const current = config.keys[config.keys.length - 1]!.id;
  const older = config.keys.length - 1;
  return `Payloads encrypted (AES-256-GCM) with key "${current}" from ${config.source}${older > 0 ? `; ${older} older key${older > 1 ? 's' : ''} still decrypt${older > 1 ? '' : 's'}` : ''}.`;
}

// ---- The codec server (npm run codec-server) ----

export interface CodecServerConfig {
  host: string;
  port: number;
  /** The Web UI origins allowed to call it from a browser (CORS); any other origin is refused. */
  uiOrigins: string[];
  /** When set, every /encode and /decode request must carry `Authorization: Bearer <token>`. */
  token?: string;
}

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value.replace(/\/+$/, '');
  } catch {
    return false;
  }
}, 'must be origins (scheme://host[:port], no path), comma-separated, e.g. http://127.0.0.1:8233');

export const CodecServerSchema = z.object({
  CODEC_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
  CODEC_SERVER_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(8888),
  // The dev server's Web UI by default, under both names a browser may use for it.
  CODEC_SERVER_UI_ORIGINS: z
    .string()
    .default('http://127.0.0.1:8233,http://localhost:8233')
    .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
    .pipe(z.array(origin).min(1, 'must name at least one origin')),
  CODEC_SERVER_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
}).superRefine((v, ctx) => {
  // Whoever reaches a codec server can decrypt through it: beyond this machine it needs a token.
  if (!v.CODEC_SERVER_TOKEN && !['127.0.0.1', 'localhost', '::1'].includes(v.CODEC_SERVER_HOST)) {
    ctx.addIssue({
      code: 'custom',
      path: ['CODEC_SERVER_TOKEN'],
      message: `is required when CODEC_SERVER_HOST (${v.CODEC_SERVER_HOST}) is not a loopback address: anyone who reaches the server could decrypt through it`,
    });
  }
});
