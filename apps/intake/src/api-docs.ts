import type { ServiceApiDocs } from '@pt/platform';

/** What the intake service's OpenAPI document says besides its operations (served at GET /openapi.json). */
export const INTAKE_API: ServiceApiDocs = {
  title: 'payment-triage intake API',
  version: '1.0.0',
  description: [
    'Buyers report "paid but not credited" (or "card key invalid") through the shop\'s channels; agents work the incidents that triage cannot settle on its own.',
    "A channel client (help center, chat bot, phone desk) calls with its own key; with the signed-in buyer's token in X-Buyer-Token a report is verified and the buyer can follow their ticket.",
    'Agents sign in with a username and password and get a bearer token; operators manage agents and channel clients with a named ADMIN_TOKENS credential, every change audited under its name.',
    'Money is integer minor units carried as strings; times are UTC ISO 8601; ids are UUIDs. Errors are JSON with a stable `error` code (see the Error schema). The agent console (GET /console) is a browser page and is not described here.',
  ].join('\n\n'),
  tags: [
    { name: 'incidents', description: 'Reports filed by channel clients on behalf of buyers' },
    { name: 'tickets', description: 'A buyer follows their own ticket, through a channel client' },
    { name: 'incident work', description: "The agents' queue, incidents, timelines and actions (agent token)" },
    { name: 'auth', description: 'Agent sign-in, sign-out, own password' },
    { name: 'admin', description: 'Agents and channel clients (a named operator credential of ADMIN_TOKENS; every change audited under its name)' },
    { name: 'operations', description: 'Health, readiness and metrics' },
  ],
  securitySchemes: ['channelClient', 'buyerToken', 'agentBearer', 'adminBearer'],
};
