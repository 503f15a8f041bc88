import { NO_FAULTS, crashingInjector, faultInjectorFor } from './crash-points.js';

describe('crash points', () => {
  it('does nothing without a plan', () => {
    const injector = faultInjectorFor({});
    expect(injector).toBe(NO_FAULTS);
    expect(injector.active).toBe(false);
    expect(() => injector.reached('mid-issuance')).not.toThrow();
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

  it('reads the plan from the start-up settings', () => {
    const injector = faultInjectorFor({ FAULT_CRASH_POINT: 'mid-issuance', FAULT_CRASH_AFTER: 2 });
    expect(injector.active).toBe(true);
  });
});
