/** The users one vendor sandbox holds, with the state the saga cares about. */

export type UserState = 'active' | 'invited' | 'archived' | 'deleted';

export interface SandboxUser {
  id: string;
  email: string;
  state: UserState;
  /** The vendor's own user object, as its API shows it. */
  body: unknown;
  /** Partoo only: invitation emails sent so far. */
  invitesSent?: number;
}

export interface StoredUser<B> extends SandboxUser {
  body: B;
  /** Partoo only: when the last invitation email went out (ms). */
  lastInviteAt?: number;
}

/** What a state file keeps of one vendor: every user (deleted ones too) and the id counters. */
export interface VendorState {
  users: StoredUser<unknown>[];
  counters: Record<string, number>;
}

export class UserStore<B> {
  private readonly byId = new Map<string, StoredUser<B>>();
  /** Sequences ids are drawn from; never reset, so an id is never handed out twice. */
  private readonly counters = new Map<string, number>();

  add(user: StoredUser<B>): StoredUser<B> {
    // A vendor never reuses an id, deleted users' included: a clash is a sandbox bug.
    if (this.byId.has(user.id)) throw new Error(`user id ${user.id} is already taken`);
    this.byId.set(user.id, user);
    return user;
  }

  /** The next value of a counter starting at `first`, skipping ids the store already holds. */
  nextNumber(counter: string, first: number): number {
    let value = this.counters.get(counter) ?? first;
    while (this.byId.has(String(value))) value += 1;
    this.counters.set(counter, value + 1);
    return value;
  }

  /** A random id (from `generate`) that no user, deleted ones included, has held. */
  freshId(generate: () => string): string {
    for (;;) {
      const id = generate();
      if (!this.byId.has(id)) return id;
    }
  }

  /** Any user, whatever its state; vendors decide what a deleted or archived user shows. */
  get(id: string): StoredUser<B> | undefined {
    return this.byId.get(id);
  }

  /** Users the vendor still shows (not deleted), in creation order. */
  live(): StoredUser<B>[] {
    return [...this.byId.values()].filter((u) => u.state !== 'deleted');
  }

  all(): StoredUser<B>[] {
    return [...this.byId.values()];
  }

  /**
   * The user an email is taken by: archived and deleted users do not hold their email
   * (Siit archive, MeetBit soft delete, real deletes).
   */
  holderOf(email: string): StoredUser<B> | undefined {
    const wanted = email.toLowerCase();
    return this.all().find((u) => (u.state === 'active' || u.state === 'invited') && u.email.toLowerCase() === wanted);
  }

  /** Empties the users; counters go on, so ids handed out before are not handed out again. */
  clear(): void {
    this.byId.clear();
  }

  /** Everything a restart needs, as plain JSON-safe data. */
  exportState(): VendorState {
    return { users: structuredClone(this.all()) as StoredUser<unknown>[], counters: Object.fromEntries(this.counters) };
  }

  /** Replaces users and counters with a saved state. */
  importState(state: VendorState): void {
    this.byId.clear();
    for (const user of structuredClone(state.users)) this.byId.set(user.id, user as StoredUser<B>);
    this.counters.clear();
    for (const [name, value] of Object.entries(state.counters)) this.counters.set(name, value);
  }

  /** Copies for admin reads, without the sandbox's own bookkeeping. */
  snapshot(): SandboxUser[] {
    return this.all().map(({ id, email, state, body, invitesSent }) =>
      structuredClone(invitesSent === undefined ? { id, email, state, body } : { id, email, state, body, invitesSent }),
    );
  }
}
