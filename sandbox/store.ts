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

export class UserStore<B> {
  private readonly byId = new Map<string, StoredUser<B>>();

  add(user: StoredUser<B>): StoredUser<B> {
    this.byId.set(user.id, user);
    return user;
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

  clear(): void {
    this.byId.clear();
  }

  /** Copies for admin reads, without the sandbox's own bookkeeping. */
  snapshot(): SandboxUser[] {
    return this.all().map(({ id, email, state, body, invitesSent }) =>
      structuredClone(invitesSent === undefined ? { id, email, state, body } : { id, email, state, body, invitesSent }),
    );
  }
}
