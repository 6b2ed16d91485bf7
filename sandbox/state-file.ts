/**
 * The sandboxes' users and id counters on disk, so a restart (of `npm run sandbox`, the demo, or a
 * test's sandboxes stopped and started again) finds the users it left and never hands out an id twice. Loaded once at
 * start; written after each change, debounced, to a temporary file renamed over the old one (a
 * crash mid-write leaves the previous state, never half a file).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { VENDORS, type VendorName } from '../workflows/vendors.js';
import type { VendorState } from './store.js';

const STATE_FILE_VERSION = 1;
/** How long after a change the file is written; changes within it share one write. */
const STATE_WRITE_DELAY_MS = 100;

const userSchema = z
  .object({
    id: z.string().min(1),
    email: z.string(),
    state: z.enum(['active', 'invited', 'archived', 'deleted']),
    body: z.unknown(),
    invitesSent: z.number().int().nonnegative().optional(),
    lastInviteAt: z.number().optional(),
  })
  .strict();
const vendorStateSchema = z.object({ users: z.array(userSchema), counters: z.record(z.string(), z.number().int()) }).strict();
const fileSchema = z
  .object({
    version: z.literal(STATE_FILE_VERSION),
    savedAt: z.string(),
    vendors: z.partialRecord(z.enum(VENDORS), vendorStateSchema),
  })
  .strict();

export type SavedState = Partial<Record<VendorName, VendorState>>;

/** The saved state, {} when the file does not exist yet; throws naming the file when it is unreadable. */
export function loadState(file: string): SavedState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Sandbox state file ${file} cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`Sandbox state file ${file} is not valid JSON; move it away (or delete it) to start with empty sandboxes`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new Error(`Sandbox state file ${file} is not a sandbox state (version ${STATE_FILE_VERSION}): ${issues}; move it away (or delete it) to start with empty sandboxes`);
  }
  return parsed.data.vendors as SavedState;
}

/** Writes `state` atomically: a temporary file beside `file`, then a rename over it. */
function saveState(file: string, state: SavedState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ version: STATE_FILE_VERSION, savedAt: new Date().toISOString(), vendors: state }, null, 1)}\n`);
  renameSync(temporary, file);
}

/** Debounced saving of whatever `read()` returns; `flush()` writes a pending change at once. */
export class StateWriter {
  private timer: NodeJS.Timeout | undefined;
  /** The last write failed (said once, not on every change). */
  private failing = false;

  constructor(
    private readonly file: string,
    private readonly read: () => SavedState,
    private readonly delayMs = STATE_WRITE_DELAY_MS,
  ) {}

  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, this.delayMs);
    // A pending write must not keep a finished process alive; stop() flushes it.
    this.timer.unref();
  }

  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.write();
  }

  private write(): void {
    try {
      saveState(this.file, this.read());
      if (this.failing) console.error(`[sandbox] the state file ${this.file} is written again`);
      this.failing = false;
    } catch (error) {
      // The sandboxes keep serving from memory; the next change tries again.
      if (!this.failing) console.error(`[sandbox] cannot write the state file ${this.file} (users are kept in memory only until it can be written; SANDBOX_STATE_FILE names another file): ${(error as Error).message}`);
      this.failing = true;
    }
  }
}
