import { CLEARING_EVENT_TYPE } from './clearing/clearing-event.js';
import { buildEnvelope, decodeEvent } from './registry.js';
import { TOPICS } from './topics.js';

const clearing = {
  paymentReference: 'P-1',
  orderNumber: 'O-1',
  channel: 'alipay',
  status: 'CLEARED',
  amountMinor: '600',
  currency: 'CNY',
  version: 1,
  statusAt: '2026-11-21T10:00:00Z',
};

describe('decodeEvent', () => {
  it('accepts a valid envelope and returns the typed payload', () => {
    const raw = JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'corr-1'));
    const result = decodeEvent(TOPICS.clearingEvents, raw);
    expect(result.ok).toBe(true);
  });

  it.each([
    ['malformed JSON', '{"eventId":', 'MALFORMED_JSON', ''],
    ['empty value', '', 'MALFORMED_JSON', 'empty'],
    ['envelope without eventId', JSON.stringify({ ...buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'c'), eventId: 'nope' }), 'INVALID_ENVELOPE', 'eventId'],
    ['unknown type', JSON.stringify({ ...buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'c'), type: 'x.y' }), 'UNKNOWN_TYPE', 'x.y'],
    ['wrong schema version', JSON.stringify({ ...buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'c'), schemaVersion: 2 }), 'UNSUPPORTED_SCHEMA_VERSION', 'schemaVersion'],
    ['float amount', JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, { ...clearing, amountMinor: 6.5 }, 'c')), 'INVALID_PAYLOAD', 'payload.amountMinor'],
    ['negative amount', JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, { ...clearing, amountMinor: '-5' }, 'c')), 'INVALID_PAYLOAD', 'payload.amountMinor'],
    ['FAILED without a failure code', JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, { ...clearing, status: 'FAILED' }, 'c')), 'INVALID_PAYLOAD', 'payload.failureCode'],
    ['unknown field', JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, { ...clearing, secret: 'x' }, 'c')), 'INVALID_PAYLOAD', 'payload.secret'],
  ])('rejects %s', (_name, raw, reason, detail) => {
    const result = decodeEvent(TOPICS.clearingEvents, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.detail).toContain(detail);
    }
  });

  it('rejects an event of another topic', () => {
    const raw = JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'c'));
    const result = decodeEvent(TOPICS.ledgerEvents, raw);
    expect(result).toMatchObject({ ok: false, reason: 'WRONG_TOPIC' });
  });
});
