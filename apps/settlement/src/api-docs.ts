import type { ServiceApiDocs } from '@pt/platform';

/** What the settlement service's OpenAPI document says besides its operations (served at GET /openapi.json). */
export const SETTLEMENT_API: ServiceApiDocs = {
  title: 'payment-triage settlement API',
  version: '1.0.0',
  description: [
    'Merchants ask where their money is: settled to their bank account, still clearing (and when it is expected), failed (why, and what to fix), or reversed.',
    'Money is integer minor units carried as strings; times are UTC ISO 8601; ids are UUIDs.',
    "A merchant only ever sees its own payments: asking for another merchant's payment answers exactly like asking for one that does not exist (404).",
    'Each merchant may make SETTLEMENT_RATE_LIMIT_PER_MINUTE requests per minute (default 600), counted in PostgreSQL across replicas; over that, 429 with Retry-After.',
  ].join('\n\n'),
  tags: [
    { name: 'payments', description: "A merchant's payments (API key)" },
    { name: 'admin', description: 'Merchants and their API keys (a named operator credential of ADMIN_TOKENS; every change audited under its name)' },
    { name: 'operations', description: 'Health, readiness and metrics' },
  ],
  securitySchemes: ['merchantBearer', 'merchantApiKey', 'adminBearer'],
};
