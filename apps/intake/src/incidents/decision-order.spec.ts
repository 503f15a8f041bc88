import { isSuperseded } from './decision-order.js';

describe('isSuperseded', () => {
  const at = (iso: string) => new Date(iso);

  it('applies the first decision, numbered or not', () => {
    expect(isSuperseded({ decisionSequence: null, triagedAt: null }, { sequence: 1, decidedAt: '2026-12-01T10:00:00.000Z' })).toBe(false);
    expect(isSuperseded({ decisionSequence: null, triagedAt: null }, { decidedAt: '2026-12-01T10:00:00.000Z' })).toBe(false);
  });

  it('orders numbered decisions by their number, not by the clock that decided them', () => {
    const applied = { decisionSequence: 2, triagedAt: at('2026-12-01T10:00:00.000Z') };
    // Decided "later" by a replica whose clock runs ahead, but numbered before the applied one.
    expect(isSuperseded(applied, { sequence: 1, decidedAt: '2026-12-01T10:05:00.000Z' })).toBe(true);
    // Decided "earlier" by a replica whose clock runs behind, but numbered after it.
    expect(isSuperseded(applied, { sequence: 3, decidedAt: '2026-12-01T09:55:00.000Z' })).toBe(false);
  });

  it('does not apply the same number again', () => {
    expect(isSuperseded({ decisionSequence: 2, triagedAt: at('2026-12-01T10:00:00.000Z') }, { sequence: 2, decidedAt: '2026-12-01T10:00:00.000Z' })).toBe(true);
  });

  it('falls back to the decision times when the event has no number (a producer not yet upgraded)', () => {
    const applied = { decisionSequence: 4, triagedAt: at('2026-12-01T10:00:00.000Z') };
    expect(isSuperseded(applied, { decidedAt: '2026-12-01T09:59:59.999Z' })).toBe(true);
    expect(isSuperseded(applied, { decidedAt: '2026-12-01T10:00:00.000Z' })).toBe(false);
    expect(isSuperseded(applied, { decidedAt: '2026-12-01T10:00:00.001Z' })).toBe(false);
  });

  it('falls back to the decision times when the applied decision had no number', () => {
    const applied = { decisionSequence: null, triagedAt: at('2026-12-01T10:00:00.000Z') };
    expect(isSuperseded(applied, { sequence: 1, decidedAt: '2026-12-01T09:00:00.000Z' })).toBe(true);
    expect(isSuperseded(applied, { sequence: 1, decidedAt: '2026-12-01T11:00:00.000Z' })).toBe(false);
  });
});
