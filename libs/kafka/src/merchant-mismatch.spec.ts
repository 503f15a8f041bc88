import { PermanentMessageError } from './event-context.js';
import { MERCHANT_MISMATCH, merchantMismatch } from './merchant-mismatch.js';

describe('merchantMismatch', () => {
  const A = '7d30f4d6-7714-52f3-a95e-6f59a7ab79c6';
  const B = '0b1f6c2e-51c4-4d7a-9d0e-3a1c2b4d5e6f';

  it('is a permanent error with the MERCHANT_MISMATCH reason, naming the payment and both merchants', () => {
    const error = merchantMismatch('clearing event for PAY-1', B, [{ paymentReference: 'PAY-1', merchantId: A }]);
    expect(error).toBeInstanceOf(PermanentMessageError);
    expect(error.reason).toBe(MERCHANT_MISMATCH);
    expect(error.message).toBe(`merchantId: clearing event for PAY-1 names merchant ${B}, but payment PAY-1 belongs to merchant ${A}`);
  });

  it('names at most ten payments and counts the rest', () => {
    const conflicts = Array.from({ length: 12 }, (_, i) => ({ paymentReference: `PAY-${i}`, merchantId: A }));
    const error = merchantMismatch('settlement batch B-1', B, conflicts);
    expect(error.message).toContain('payment PAY-0 belongs to merchant');
    expect(error.message).toContain('payment PAY-9 belongs to merchant');
    expect(error.message).not.toContain('PAY-10');
    expect(error.message).toMatch(/, and 2 more$/);
  });
});
