/**
 * In-test vendors for the workflow-logic suite: an implementation of the vendor contract whose
 * every answer is scripted per hire (keyed by email, so cases run side by side on one set of
 * workers), and a log of every call in the order it happened. No HTTP: the workflow's decisions
 * are what is under test.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { NewHire } from '../../workflows/new-hire.js';
import { VendorErrorType, type VendorActivities, type VendorUser } from '../../workflows/vendor-contract.js';
import { VENDORS, type VendorName } from '../../workflows/vendors.js';

/**
 * - `created` / `adopted`: the create answers so.
 * - `refused`: a definite refusal (400), non-retryable: nothing was created.
 * - `unavailable`: 503 on every attempt, until the create's window closes: it may have committed.
 * - `held`: answers `created` once the test opens the gate (`release`).
 */
export type CreateScript = 'created' | 'adopted' | 'refused' | 'unavailable' | 'held';
export type StepScript = 'ok' | 'fails' | 'held';

export interface HireScript {
  create?: Partial<Record<VendorName, CreateScript>>;
  undo?: Partial<Record<VendorName, StepScript>>;
  invite?: StepScript;
}

export type Call = { step: 'create' | 'undo' | 'invite'; vendor: VendorName; outcome: string };

interface Gate {
  reached: Promise<void>;
  reach(): void;
  opened: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let reach!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const opened = new Promise<void>((r) => (open = r));
  return { reached, reach, opened, open };
}

export class ScriptedVendors {
  private readonly scripts = new Map<string, HireScript>();
  private readonly calls = new Map<string, Call[]>();
  private readonly gates = new Map<string, Gate>();

  script(email: string, script: HireScript): void {
    this.scripts.set(email.toLowerCase(), script);
    this.calls.set(email.toLowerCase(), []);
  }

  /** Every call made for this hire, in order. */
  log(email: string): Call[] {
    return this.calls.get(email.toLowerCase()) ?? [];
  }

  /** Resolves once a held step has been reached (its activity is running). */
  reached(email: string, step: Call['step'], vendor: VendorName): Promise<void> {
    return this.gate(email, step, vendor).reached;
  }

  /** Lets a held step answer. */
  release(email: string, step: Call['step'], vendor: VendorName): void {
    this.gate(email, step, vendor).open();
  }

  /** Opens every gate: held activities of a finished case must not outlive the suite. */
  releaseAll(): void {
    for (const g of this.gates.values()) g.open();
  }

  activities(): VendorActivities {
    const forVendor = (vendor: VendorName) => ({
      createUser: (hire: NewHire) => this.create(vendor, hire),
      undoUser: (user: VendorUser) => this.step('undo', vendor, user, 'undone', this.scriptOf(user.email).undo?.[vendor]),
    });
    const activities = Object.fromEntries(VENDORS.map((vendor) => [vendor, forVendor(vendor)])) as Record<VendorName, ReturnType<typeof forVendor>>;
    return {
      ...activities,
      partoo: { ...activities.partoo, sendInvite: (user: VendorUser) => this.step('invite', 'partoo', user, 'sent', this.scriptOf(user.email).invite) },
    };
  }

  private async create(vendor: VendorName, hire: NewHire): Promise<VendorUser> {
    const script = this.scriptOf(hire.email).create?.[vendor] ?? 'created';
    const record = (outcome: string) => this.log(hire.email).push({ step: 'create', vendor, outcome });
    if (script === 'held') {
      const g = this.gate(hire.email, 'create', vendor);
      g.reach();
      await g.opened;
    }
    if (script === 'refused') {
      record('refused');
      throw ApplicationFailure.nonRetryable(`${vendor} rejected the create as invalid (400)`, VendorErrorType.Validation);
    }
    if (script === 'unavailable') {
      record('unavailable');
      throw ApplicationFailure.retryable(`${vendor} failed the create with 503`, VendorErrorType.Unavailable);
    }
    const origin = script === 'adopted' ? 'adopted' : 'created';
    record(origin);
    return { vendor, id: `${vendor}-${hire.employeeId}`, origin, email: hire.email };
  }

  private async step<R extends string>(step: 'undo' | 'invite', vendor: VendorName, user: VendorUser, success: R, script: StepScript | undefined): Promise<R> {
    if (script === 'held') {
      const g = this.gate(user.email, step, vendor);
      g.reach();
      await g.opened;
    }
    if (script === 'fails') {
      this.log(user.email).push({ step, vendor, outcome: 'failed' });
      throw ApplicationFailure.retryable(`${vendor} failed the ${step} with 500`, VendorErrorType.Unavailable);
    }
    this.log(user.email).push({ step, vendor, outcome: success });
    return success;
  }

  private scriptOf(email: string): HireScript {
    return this.scripts.get(email.toLowerCase()) ?? {};
  }

  private gate(email: string, step: Call['step'], vendor: VendorName): Gate {
    const key = `${email.toLowerCase()} ${step} ${vendor}`;
    let g = this.gates.get(key);
    if (!g) this.gates.set(key, (g = gate()));
    return g;
  }
}
