import { NO_FAULTS, crashingInjector, faultInjectorFor } from './crash-points.js';

describe('crash points', () => {
  it('does nothing without a plan', () => {
    const injector = faultInjectorFor({});
    expect(injector).toBe(NO_FAULTS);
    expect(injector.active).toBe(false);
    let kills = 0;
    const quiet = faultInjectorFor({ FAULT_CRASH_AFTER: 1, FAULT_CRASH_TOPIC: 'incident.reported.v1' }, () => {
      kills += 1;
    });
    expect(quiet).toBe(NO_FAULTS);
    quiet.reached('mid-issuance', 'incident.reported.v1');
    expect(kills).toBe(0);
  });

  it('kills on the Nth time its point is reached, for its topic only', () => {
    let kills = 0;
    const injector = crashingInjector({ point: 'after-commit-before-offset', after: 3, topic: 'incident.reported.v1' }, () => {
      kills += 1;
    });
    injector.reached('after-commit-before-offset', 'incident.reported.v1');
    injector.reached('after-commit-before-offset', 'ledger.events.v1');
    injector.reached('mid-issuance', 'incident.reported.v1');
    injector.reached('after-commit-before-offset', 'incident.reported.v1');
    expect(kills).toBe(0);
    injector.reached('after-commit-before-offset', 'incident.reported.v1');
    expect(kills).toBe(1);
  });

  it('kills once the count is reached and on every later reach (a restarted count is a new process)', () => {
    let kills = 0;
    const injector = crashingInjector({ point: 'relay-after-send', after: 1 }, () => {
      kills += 1;
    });
    injector.reached('relay-after-send');
    injector.reached('relay-after-send', 'any.topic.v1');
    expect(kills).toBe(2);
  });

  it('reads the plan from the start-up settings: point, count and topic', () => {
    const killed: string[] = [];
    const kill = () => {
      killed.push('kill');
    };
    const plan = faultInjectorFor({ FAULT_CRASH_POINT: 'mid-issuance', FAULT_CRASH_AFTER: 2, FAULT_CRASH_TOPIC: 'incident.reported.v1' }, kill);
    expect(plan.active).toBe(true);
    plan.reached('mid-issuance', 'incident.reported.v1');
    plan.reached('mid-issuance', 'ledger.events.v1');
    plan.reached('after-commit-before-offset', 'incident.reported.v1');
    expect(killed).toHaveLength(0);
    plan.reached('mid-issuance', 'incident.reported.v1');
    expect(killed).toHaveLength(1);
  });

  it('defaults to the first reach and to any topic', () => {
    let kills = 0;
    const injector = faultInjectorFor({ FAULT_CRASH_POINT: 'after-commit-before-offset' }, () => {
      kills += 1;
    });
    injector.reached('after-commit-before-offset', 'clearing.events.v1');
    expect(kills).toBe(1);
  });

  it('refuses a point that does not exist instead of never crashing', () => {
    expect(() => faultInjectorFor({ FAULT_CRASH_POINT: 'mid-isuance' })).toThrow(/FAULT_CRASH_POINT.*mid-isuance/);
  });

  it('stalls the planned point for its topic only, and still crashes where planned', async () => {
    let kills = 0;
    const injector = faultInjectorFor(
      { FAULT_CRASH_POINT: 'mid-issuance', FAULT_STALL_POINT: 'handler', FAULT_STALL_MS: 30, FAULT_STALL_TOPIC: 'incident.reported.v1' },
      () => {
        kills += 1;
      },
    );
    expect(injector.active).toBe(true);
    expect(injector.stall!('handler', 'ledger.events.v1')).toBeNull();
    const stalled = injector.stall!('handler', 'incident.reported.v1');
    expect(stalled).toBeInstanceOf(Promise);
    await stalled;
    expect('stall' in NO_FAULTS).toBe(false);
    injector.reached('mid-issuance');
    expect(kills).toBe(1);
    expect(() => faultInjectorFor({ FAULT_STALL_POINT: 'handlr' })).toThrow(/FAULT_STALL_POINT.*handlr/);
  });
});
