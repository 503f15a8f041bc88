import { withCorrelationId } from './correlation.js';
import { JsonLogger } from './json-logger.js';
import { maskPhone, maskPhonesInText, redact } from './redact.js';

describe('JsonLogger', () => {
  it('writes one JSON object per line with service, level, context and correlation id', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('intake', 'info', (l) => lines.push(l));
    withCorrelationId('corr-42', () => logger.log({ msg: 'hello', orderNumber: 'O-1' }, 'Ctx'));
    logger.debug('hidden below the threshold');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      service: 'intake',
      context: 'Ctx',
      correlationId: 'corr-42',
      msg: 'hello',
      orderNumber: 'O-1',
    });
  });

  it('never writes secrets and masks phone numbers', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('reconciliation', 'debug', (l) => lines.push(l));
    logger.warn({ msg: 'buyer 13800138000 called', secret: 'CARD-SECRET-1234', nested: { apiKey: 'k', phone: '+86 138 0013 8000' } });
    const text = lines.join('\n');
    expect(text).not.toContain('CARD-SECRET-1234');
    expect(text).not.toContain('13800138000');
    expect(text).toContain('*******8000');
    expect(JSON.parse(lines[0]).nested).toEqual({ apiKey: '[redacted]', phone: '*********8000' });
  });

  it('leaves ids whole, even those whose digit groups look like a phone number', () => {
    const id = 'e8038a2b-1234-5678-9012-345678908276';
    expect(maskPhonesInText(`incident ${id} for 13800138000`)).toBe(`incident ${id} for *******8000`);
    expect(maskPhonesInText(`order ${id.toUpperCase()}`)).toBe(`order ${id.toUpperCase()}`);
    expect(maskPhonesInText('call +86 138-0013-8000 now')).toBe('call *********8000 now');
  });

  it('masks a phone to its last four digits', () => {
    expect(maskPhone('13800138000')).toBe('*******8000');
    expect(redact({ token: 'abc', list: ['call 13800138000'] })).toEqual({ token: '[redacted]', list: ['call *******8000'] });
  });
});
