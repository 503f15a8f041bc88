/**
 * Points in the code where a test or the soak may make a process die as if its machine
 * lost power. They are reached only when a fault plan was configured at start-up.
 */
export const CRASH_POINTS = [
  /** A consumed message's effect committed in PostgreSQL; its offset not yet committed in Kafka. */
  'after-commit-before-offset',
  /** Inside the triage transaction, after the issuance row was written and before the commit. */
  'mid-issuance',
  /** The outbox relay's batch acknowledged by the broker; the rows not yet marked published. */
  'relay-after-send',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Points where a test may make work hang, as a handler waiting on something that never answers would. */
export const STALL_POINTS = [
  /** A consumed message's handler, before it starts (and so before its transaction). */
  'handler',
] as const;

export type StallPoint = (typeof STALL_POINTS)[number];

/** Where a process may be made to crash or hang; production code calls `reached` (and `stall`) at each point. */
export interface FaultInjector {
  /** True when a fault plan is active (for logs at start-up only). */
  readonly active: boolean;
  /** Called at a crash point; `topic` is the logical topic where a message is concerned. */
  reached(point: CrashPoint, topic?: string): void;
  /** Called at a stall point: null when nothing is planned there, else a pause that ends after the planned time. */
  stall?(point: StallPoint, topic?: string): Promise<void> | null;
}

/** The injector of every process started without a fault plan: it does nothing. */
export const NO_FAULTS: FaultInjector = Object.freeze({ active: false, reached: () => undefined });

export interface CrashPlan {
  point: CrashPoint;
  /** Crash on the Nth time the point is reached (1 = the first). */
  after: number;
  /** Only count the point when reached for a message of this logical topic. */
  topic?: string;
}

/**
 * An injector that kills its own process with SIGKILL (no shutdown hooks, no flush, no
 * rollback by the application: PostgreSQL and Kafka see a vanished client) the Nth time
 * the planned point is reached.
 */
export function crashingInjector(plan: CrashPlan, kill: () => void = () => process.kill(process.pid, 'SIGKILL')): FaultInjector {
  let seen = 0;
  return {
    active: true,
    reached(point, topic) {
      if (point !== plan.point) return;
      if (plan.topic && topic !== plan.topic) return;
      seen += 1;
      if (seen >= plan.after) kill();
    },
  };
}

export interface StallPlan {
  point: StallPoint;
  /** How long each reach of the point hangs. */
  ms: number;
  /** Only stall for messages of this logical topic. */
  topic?: string;
}

/** The start-up settings of a fault plan (BaseServiceConfig's FAULT_* variables). */
export interface FaultSettings {
  FAULT_CRASH_POINT?: string;
  FAULT_CRASH_AFTER?: number;
  FAULT_CRASH_TOPIC?: string;
  FAULT_STALL_POINT?: string;
  FAULT_STALL_MS?: number;
  FAULT_STALL_TOPIC?: string;
}

/** Adds a stall to an injector: every reach of the planned point (for its topic) hangs `plan.ms`. */
export function stallingInjector(plan: StallPlan, base: FaultInjector = NO_FAULTS): FaultInjector {
  return {
    active: true,
    reached: (point, topic) => base.reached(point, topic),
    stall(point, topic) {
      if (point !== plan.point) return null;
      if (plan.topic && topic !== plan.topic) return null;
      return new Promise<void>((resolve) => setTimeout(resolve, plan.ms));
    },
  };
}

/** The injector for a service's start-up settings: NO_FAULTS unless a crash or stall point is named. */
export function faultInjectorFor(settings: FaultSettings, kill?: () => void): FaultInjector {
  const point = settings.FAULT_CRASH_POINT;
  let injector = NO_FAULTS;
  if (point) {
    if (!isCrashPoint(point)) throw new Error(`FAULT_CRASH_POINT: "${point}" is not a crash point (one of ${CRASH_POINTS.join(', ')})`);
    injector = crashingInjector(
      {
        point,
        after: settings.FAULT_CRASH_AFTER ?? 1,
        ...(settings.FAULT_CRASH_TOPIC ? { topic: settings.FAULT_CRASH_TOPIC } : {}),
      },
      kill,
    );
  }
  const stall = settings.FAULT_STALL_POINT;
  if (stall) {
    if (!(STALL_POINTS as readonly string[]).includes(stall)) {
      throw new Error(`FAULT_STALL_POINT: "${stall}" is not a stall point (one of ${STALL_POINTS.join(', ')})`);
    }
    injector = stallingInjector(
      { point: stall as StallPoint, ms: settings.FAULT_STALL_MS ?? 600_000, ...(settings.FAULT_STALL_TOPIC ? { topic: settings.FAULT_STALL_TOPIC } : {}) },
      injector,
    );
  }
  return injector;
}

function isCrashPoint(name: string): name is CrashPoint {
  return (CRASH_POINTS as readonly string[]).includes(name);
}
