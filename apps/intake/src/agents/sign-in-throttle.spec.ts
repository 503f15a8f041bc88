import { SignInThrottle } from './sign-in-throttle.js';

describe('SignInThrottle', () => {
  let clock = 0;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('refuses a name after the allowed failures, until the oldest leaves the window', () => {
    const throttle = new SignInThrottle(3, 60_000, now);
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.retryAfterSeconds('alice')).toBe(0);
      throttle.failed('alice');
      clock += 10_000;
    }
    // Failures at 0 s, 10 s and 20 s; now 30 s: the first leaves the window at 60 s.
    expect(throttle.retryAfterSeconds('alice')).toBe(30);
    expect(throttle.retryAfterSeconds('ALICE')).toBe(30);
    expect(throttle.retryAfterSeconds('bob')).toBe(0);
    clock += 30_000;
    expect(throttle.retryAfterSeconds('alice')).toBe(0);
  });

  it('forgets a name on success, and counts unknown names like known ones', () => {
    const throttle = new SignInThrottle(2, 60_000, now);
    throttle.failed('alice');
    throttle.succeeded('Alice');
    throttle.failed('alice');
    expect(throttle.retryAfterSeconds('alice')).toBe(0);
    throttle.failed('nobody');
    throttle.failed('nobody');
    expect(throttle.retryAfterSeconds('nobody')).toBe(60);
  });

  it('is off with a limit of 0 and remembers a bounded number of names', () => {
    const off = new SignInThrottle(0, 60_000, now);
    for (let i = 0; i < 10; i += 1) off.failed('alice');
    expect(off.retryAfterSeconds('alice')).toBe(0);

    const small = new SignInThrottle(1, 60_000, now, 2);
    small.failed('a');
    small.failed('b');
    small.failed('c');
    expect(small.retryAfterSeconds('a')).toBe(0);
    expect(small.retryAfterSeconds('b')).toBe(60);
    expect(small.retryAfterSeconds('c')).toBe(60);
  });
});
