import { echoDetails } from './start.js';

describe('the terminal echo of warnings', () => {
  it('carries the reason, what it concerns and the correlation id, not the bookkeeping fields', () => {
    const line = {
      time: 't',
      level: 'warn',
      service: 'reconciliation',
      context: 'BuyerReveal',
      msg: 'card-key reveal refused',
      reason: 'NO_BUYER_TOKEN',
      orderNumber: 'DEMO-1002',
      correlationId: 'c-1',
    };
    expect(echoDetails(line)).toBe('reason=NO_BUYER_TOKEN orderNumber=DEMO-1002 correlationId=c-1');
  });

  it("names an error's message and keeps long lines short", () => {
    expect(echoDetails({ msg: 'x', err: { name: 'Error', message: 'boom' } })).toBe('error=boom');
    expect(echoDetails({ msg: 'x', detail: 'y'.repeat(400) }).length).toBe(300);
  });
});
