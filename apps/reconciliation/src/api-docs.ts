import type { ServiceApiDocs } from '@pt/platform';

/** What the reconciliation service's OpenAPI document says besides its operations (served at GET /openapi.json). */
export const RECONCILIATION_API: ServiceApiDocs = {
  title: 'payment-triage reconciliation API',
  version: '1.0.0',
  description: [
    'Triage evidence behind every decision on an incident, the card-key vault (imports, stock, reveals), and bulk reconciliation of channel statements against the ledger.',
    "Agents use the bearer token intake gave them at sign-in; a card key is revealed only to its buyer (through a channel client, with the buyer's token) or to a supervisor, for an incident, with a reason. Operators use a named ADMIN_TOKENS credential.",
    'Money is integer minor units carried as strings; times are UTC ISO 8601; ids are UUIDs. Errors are JSON with a stable `error` code (see the Error schema).',
  ].join('\n\n'),
  tags: [
    { name: 'decisions', description: 'The frozen evidence behind triage decisions (agent token)' },
    { name: 'card keys', description: 'Revealing card keys to their buyer or to a supervisor' },
    { name: 'admin', description: 'Card-key imports and stock (a named operator credential of ADMIN_TOKENS; every change audited under its name)' },
    { name: 'reconciliation', description: 'Bulk reconciliation runs, their discrepancies, and systemic incidents (admin token)' },
    { name: 'operations', description: 'Health, readiness and metrics' },
  ],
  securitySchemes: ['agentBearer', 'channelClient', 'buyerToken', 'adminBearer'],
};
