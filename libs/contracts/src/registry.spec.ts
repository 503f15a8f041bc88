import { ACCESS_EVENT_TYPES } from './access/access-events.js';
import { INCIDENT_ACTION_TYPES } from './incident/incident-actions.js';
import { INCIDENT_REPORTED_TYPE } from './incident/incident-reported.js';
import { CLEARING_EVENT_TYPE } from './clearing/clearing-event.js';
import { buildEnvelope, decodeEvent, topicOfType } from './registry.js';
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
    if (!result.ok) throw new Error(`expected a valid event, got ${result.reason}: ${result.detail}`);
    expect(result.event.envelope).toMatchObject({ type: CLEARING_EVENT_TYPE, schemaVersion: 1, correlationId: 'corr-1' });
    expect(result.event.envelope.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.event.payload).toMatchObject({ paymentReference: 'P-1', orderNumber: 'O-1', status: 'CLEARED', currency: 'CNY', version: 1 });
    expect(String((result.event.payload as { amountMinor: unknown }).amountMinor)).toBe('600');
  });

  it('accepts the same event as bytes, as Kafka delivers it', () => {
    const raw = Buffer.from(JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'corr-2')));
    expect(decodeEvent(TOPICS.clearingEvents, raw)).toMatchObject({ ok: true, event: { envelope: { correlationId: 'corr-2' } } });
    expect(decodeEvent(TOPICS.clearingEvents, null)).toMatchObject({ ok: false, reason: 'MALFORMED_JSON', detail: 'empty message value' });
  });

  it.each([
    ['malformed JSON', '{"eventId":', 'MALFORMED_JSON', 'JSON'],
    ['empty value', '', 'MALFORMED_JSON', 'empty'],
    ['envelope without eventId', JSON.stringify({ ...buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'c'), eventId: 'nope' }), 'INVALID_ENVELOPE', 'eventId'],
    ['unknown type', JSON.stringify({ ...buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'c'), type: 'x.y' }), 'UNKNOWN_TYPE', 'x.y'],
    [
      'wrong schema version',
      JSON.stringify({ ...buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'c'), schemaVersion: 2 }),
      'UNSUPPORTED_SCHEMA_VERSION',
      'schemaVersion',
    ],
    ['float amount', JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, { ...clearing, amountMinor: 6.5 }, 'c')), 'INVALID_PAYLOAD', 'payload.amountMinor'],
    ['negative amount', JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, { ...clearing, amountMinor: '-5' }, 'c')), 'INVALID_PAYLOAD', 'payload.amountMinor'],
    [
      'FAILED without a failure code',
      JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, { ...clearing, status: 'FAILED' }, 'c')),
      'INVALID_PAYLOAD',
      'payload.failureCode',
    ],
    ['unknown field', JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, { ...clearing, secret: 'x' }, 'c')), 'INVALID_PAYLOAD', 'payload.secret'],
  ])('rejects %s', (_name, raw, reason, detail) => {
    const result = decodeEvent(TOPICS.clearingEvents, raw);
    if (result.ok) throw new Error(`expected ${reason}, the event was accepted`);
    expect(result.reason).toBe(reason);
    expect(result.detail).toContain(detail);
  });

  it('rejects an event of another topic', () => {
    const raw = JSON.stringify(buildEnvelope(CLEARING_EVENT_TYPE, clearing, 'c'));
    const result = decodeEvent(TOPICS.ledgerEvents, raw);
    expect(result).toMatchObject({ ok: false, reason: 'WRONG_TOPIC' });
  });
});

describe('access events', () => {
  const revoked = {
    agentId: '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
    sessionId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    reason: 'SIGNED_OUT',
    revokedAt: '2026-11-21T10:00:00Z',
    expiresAt: '2026-11-21T18:00:00Z',
  };
  const access = { agentId: revoked.agentId, username: 'sam', role: 'agent', disabled: false, accessVersion: 2, changedAt: '2026-11-21T10:00:00Z' };

  it('decodes each type on access.events.v1 and nowhere else', () => {
    for (const [type, payload] of [
      [ACCESS_EVENT_TYPES.agentSessionRevoked, revoked],
      [ACCESS_EVENT_TYPES.agentDisabled, { ...access, disabled: true }],
      [ACCESS_EVENT_TYPES.agentEnabled, access],
      [ACCESS_EVENT_TYPES.agentRoleChanged, access],
    ] as const) {
      const raw = JSON.stringify(buildEnvelope(type, payload, 'c'));
      expect(decodeEvent(TOPICS.accessEvents, raw).ok).toBe(true);
      expect(decodeEvent(TOPICS.incidentReported, raw)).toMatchObject({ ok: false, reason: 'WRONG_TOPIC' });
    }
  });

  it.each([
    ['an unknown reason', ACCESS_EVENT_TYPES.agentSessionRevoked, { ...revoked, reason: 'BORED' }, 'payload.reason'],
    ['a role that does not exist', ACCESS_EVENT_TYPES.agentRoleChanged, { ...access, role: 'owner' }, 'payload.role'],
    ['no version', ACCESS_EVENT_TYPES.agentDisabled, { ...access, accessVersion: undefined }, 'payload.accessVersion'],
    ['a token smuggled in', ACCESS_EVENT_TYPES.agentSessionRevoked, { ...revoked, token: 'x' }, 'payload.token'],
  ])('rejects %s', (_name, type, payload, field) => {
    const result = decodeEvent(TOPICS.accessEvents, JSON.stringify(buildEnvelope(type, payload, 'c')));
    if (result.ok) throw new Error('expected INVALID_PAYLOAD, the event was accepted');
    expect(result.reason).toBe('INVALID_PAYLOAD');
    expect(result.detail).toContain(field);
  });

  describe("agents' commands", () => {
    const recheck = {
      incidentId: '7d0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f',
      orderNumber: 'O-1',
      requestedBy: '8e0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f',
      requestedAt: '2026-11-21T10:00:00Z',
    };
    const force = { ...recheck, reason: 'goodwill' };

    it('are published on incident.commands.v1 and still accepted from incident.reported.v1 during the move', () => {
      for (const [type, payload] of [
        [INCIDENT_ACTION_TYPES.recheckRequested, recheck],
        [INCIDENT_ACTION_TYPES.forceReissueRequested, force],
      ] as const) {
        expect(topicOfType(type)).toBe(TOPICS.incidentCommands);
        const raw = JSON.stringify(buildEnvelope(type, payload, 'c'));
        expect(decodeEvent(TOPICS.incidentCommands, raw).ok).toBe(true);
        expect(decodeEvent(TOPICS.incidentReported, raw).ok).toBe(true);
        expect(decodeEvent(TOPICS.incidentTriaged, raw)).toMatchObject({ ok: false, reason: 'WRONG_TOPIC' });
      }
    });

    it('is the only kind of event incident.commands.v1 carries', () => {
      expect(topicOfType(INCIDENT_REPORTED_TYPE)).toBe(TOPICS.incidentReported);
      const report = JSON.stringify({ ...buildEnvelope(INCIDENT_ACTION_TYPES.recheckRequested, recheck, 'c'), type: INCIDENT_REPORTED_TYPE });
      expect(decodeEvent(TOPICS.incidentCommands, report)).toMatchObject({ ok: false, reason: 'WRONG_TOPIC' });
    });
  });
});
