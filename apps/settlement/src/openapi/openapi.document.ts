import { CLEARING_FAILURES, SETTLEMENT_FAILURES } from '../payments/failure-codes.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../payments/dto/payment-queries.js';
import { CSV_COLUMNS } from '../payments/payments-csv.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });
const object = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const MINOR_UNITS = { type: 'string', pattern: '^(0|[1-9][0-9]{0,17})$', description: 'integer amount in minor units (e.g. fen), as a string', examples: ['600'] };
const TIMESTAMP = { type: 'string', format: 'date-time', description: 'UTC, ISO 8601' };
const DATE = { type: 'string', format: 'date', examples: ['2026-10-08'] };
const UUID = { type: 'string', format: 'uuid' };
const STATUSES = ['SETTLED', 'CLEARING', 'FAILED', 'REVERSED'];
const merchantSecurity = [{ merchantBearer: [] }, { merchantApiKey: [] }];
const adminSecurity = [{ adminBearer: [] }];
const merchantErrors = { '400': response('BadRequest'), '401': response('Unauthorized'), '429': response('RateLimited') };
const adminErrors = { '400': response('BadRequest'), '401': response('AdminUnauthorized') };

const failureCodes = [
  ...Object.entries(SETTLEMENT_FAILURES).map(([code, f]) => `- \`${code}\` (settlement): ${f.explanation}. Remedy: ${f.remedy}.`),
  ...Object.entries(CLEARING_FAILURES).map(([code, f]) => `- \`${code}\` (clearing): ${f.explanation}. Remedy: ${f.remedy}.`),
].join('\n');

/** The settlement service's HTTP API, served at GET /openapi.json. */
export const SETTLEMENT_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'payment-triage settlement API',
    version: '1.0.0',
    description: [
      'Merchants ask where their money is: settled to their bank account, still clearing (and when it is expected), failed (why, and what to fix), or reversed.',
      'Money is integer minor units carried as strings; times are UTC ISO 8601; ids are UUIDs.',
      'A merchant only ever sees its own payments: asking for another merchant\'s payment answers exactly like asking for one that does not exist (404).',
      `Each merchant may make SETTLEMENT_RATE_LIMIT_PER_MINUTE requests per minute per service replica (default 600); over that, 429 with Retry-After.`,
    ].join('\n\n'),
  },
  servers: [{ url: 'http://127.0.0.1:3002', description: 'npm start' }],
  tags: [
    { name: 'payments', description: "A merchant's payments (API key)" },
    { name: 'admin', description: 'Merchants and their API keys (a named operator credential of ADMIN_TOKENS; every change audited under its name)' },
    { name: 'operations', description: 'Health, readiness, metrics and this document' },
  ],
  paths: {
    '/v1/payments': {
      get: {
        tags: ['payments'],
        operationId: 'listPayments',
        summary: 'List payments, or find the payments of one order',
        description: [
          `With \`orderNumber\`, the payments of that order (usually one; 404 when the merchant has none), and no other parameter is allowed.`,
          `Otherwise the merchant's payments, newest first by \`firstSeenAt\`, ${DEFAULT_PAGE_SIZE} per page unless \`limit\` says otherwise (at most ${MAX_PAGE_SIZE}). Pass \`nextCursor\` back as \`cursor\` for the next page; it is null on the last page.`,
        ].join('\n\n'),
        security: merchantSecurity,
        parameters: [
          { name: 'orderNumber', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 64 }, description: "the shop's order number" },
          param('status'),
          param('from'),
          param('to'),
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'the nextCursor of the previous page, unchanged' },
        ],
        responses: { '200': json(ref('PaymentPage'), 'a page of payments'), ...merchantErrors, '404': response('NotFound') },
      },
    },
    '/v1/payments/summary': {
      get: {
        tags: ['payments'],
        operationId: 'dailySummary',
        summary: 'Counts and amounts per currency and status of the payments first seen on a UTC day',
        security: merchantSecurity,
        parameters: [{ name: 'date', in: 'query', required: true, schema: DATE, description: 'a UTC day, YYYY-MM-DD' }],
        responses: { '200': json(ref('DailySummary'), 'the day in figures'), ...merchantErrors },
      },
    },
    '/v1/payments/export.csv': {
      get: {
        tags: ['payments'],
        operationId: 'exportPayments',
        summary: 'The filtered list of payments as CSV, streamed (all pages)',
        description: `Columns: ${CSV_COLUMNS.join(', ')}. Fields that begin with = + - @ are prefixed with an apostrophe so spreadsheets do not run them.`,
        security: merchantSecurity,
        parameters: [param('status'), param('from'), param('to')],
        responses: {
          '200': { description: 'CSV, one header line then one line per payment', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...merchantErrors,
        },
      },
    },
    '/v1/payments/{paymentReference}': {
      get: {
        tags: ['payments'],
        operationId: 'getPayment',
        summary: 'Where the money of one payment is',
        security: merchantSecurity,
        parameters: [{ name: 'paymentReference', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 128 }, description: 'the bank or channel reference' }],
        responses: { '200': json(ref('Payment'), 'the payment'), ...merchantErrors, '404': response('NotFound') },
      },
    },
    '/v1/admin/merchants': {
      post: {
        tags: ['admin'],
        operationId: 'createMerchant',
        summary: 'Create a merchant',
        description: 'Repeating the call with the same id and name answers 200 with the existing merchant.',
        security: adminSecurity,
        requestBody: { required: true, content: { 'application/json': { schema: ref('CreateMerchant') } } },
        responses: {
          '201': json(ref('CreatedMerchant'), 'created'),
          '200': json(ref('CreatedMerchant'), 'already existed with this id and name'),
          ...adminErrors,
          '409': json(ref('Error'), 'the id exists with another name (MERCHANT_ID_TAKEN), or the name belongs to another merchant (MERCHANT_NAME_TAKEN)'),
        },
      },
      get: {
        tags: ['admin'],
        operationId: 'listMerchants',
        summary: 'List merchants with their number of active keys',
        security: adminSecurity,
        responses: { '200': json(ref('MerchantList'), 'every merchant'), '401': response('AdminUnauthorized') },
      },
    },
    '/v1/admin/merchants/{merchantId}/api-keys': {
      post: {
        tags: ['admin'],
        operationId: 'createApiKey',
        summary: 'Issue an API key; its secret is in this response only',
        security: adminSecurity,
        parameters: [param('merchantId')],
        requestBody: { required: false, content: { 'application/json': { schema: ref('CreateApiKey') } } },
        responses: { '201': json(ref('CreatedApiKey'), 'the new key, with its secret'), ...adminErrors, '404': response('NotFound') },
      },
      get: {
        tags: ['admin'],
        operationId: 'listApiKeys',
        summary: "List a merchant's keys, without secrets",
        security: adminSecurity,
        parameters: [param('merchantId')],
        responses: { '200': json(ref('ApiKeyList'), 'the keys'), ...adminErrors, '404': response('NotFound') },
      },
    },
    '/v1/admin/merchants/{merchantId}/api-keys/{keyId}/revoke': {
      post: {
        tags: ['admin'],
        operationId: 'revokeApiKey',
        summary: 'Revoke a key; it is refused from the next request on. Revoking again changes nothing.',
        security: adminSecurity,
        parameters: [param('merchantId'), param('keyId')],
        responses: { '200': json(ref('ApiKey'), 'the revoked key'), ...adminErrors, '404': response('NotFound') },
      },
    },
    '/v1/admin/merchants/{merchantId}/api-keys/{keyId}/rotate': {
      post: {
        tags: ['admin'],
        operationId: 'rotateApiKey',
        summary: 'Issue a new key and revoke this one, in one transaction',
        security: adminSecurity,
        parameters: [param('merchantId'), param('keyId')],
        requestBody: { required: false, content: { 'application/json': { schema: ref('CreateApiKey') } } },
        responses: {
          '201': json(ref('RotatedApiKey'), 'the new key (with its secret) and the revoked one'),
          ...adminErrors,
          '404': response('NotFound'),
          '409': json(ref('Error'), 'the key is already revoked (API_KEY_REVOKED)'),
        },
      },
    },
    '/openapi.json': {
      get: { tags: ['operations'], operationId: 'openApiDocument', summary: 'This document', responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1') } },
    },
    '/healthz': {
      get: { tags: ['operations'], operationId: 'healthz', summary: 'The process is up', responses: { '200': json({ type: 'object' }, 'up') } },
    },
    '/readyz': {
      get: {
        tags: ['operations'],
        operationId: 'readyz',
        summary: 'The database and Kafka answer',
        description: 'Each check is ok or unreachable; the reason is only logged, with the correlation id.',
        responses: { '200': json(ref('Readiness'), 'ready'), '503': json(ref('Readiness'), 'not ready') },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
  },
  components: {
    securitySchemes: {
      merchantBearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer pt_live_…' },
      merchantApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'the same key, in X-API-Key' },
      adminBearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <token of one of the ADMIN_TOKENS credentials>' },
    },
    parameters: {
      status: {
        name: 'status',
        in: 'query',
        required: false,
        schema: { type: 'string', pattern: `^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$` },
        description: 'one or more statuses, comma-separated',
        examples: { one: { value: 'SETTLED' }, several: { value: 'FAILED,REVERSED' } },
      },
      from: { name: 'from', in: 'query', required: false, schema: { type: 'string' }, description: 'firstSeenAt on or after: YYYY-MM-DD (midnight UTC) or an ISO 8601 timestamp with a zone' },
      to: { name: 'to', in: 'query', required: false, schema: { type: 'string' }, description: 'firstSeenAt before (exclusive): YYYY-MM-DD (midnight UTC) or an ISO 8601 timestamp with a zone' },
      merchantId: { name: 'merchantId', in: 'path', required: true, schema: UUID },
      keyId: { name: 'keyId', in: 'path', required: true, schema: UUID },
    },
    responses: {
      BadRequest: json(ref('Error'), 'a parameter or field is invalid; `fields` names each one (VALIDATION_FAILED)'),
      Unauthorized: {
        ...json(ref('Error'), 'no API key, or an unknown or revoked one (UNAUTHORIZED)'),
        headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
      },
      AdminUnauthorized: json(ref('Error'), 'no admin bearer token, or a wrong one (UNAUTHORIZED)'),
      NotFound: json(ref('Error'), 'nothing of that id, or it belongs to another merchant: the two answers are identical (NOT_FOUND)'),
      RateLimited: {
        ...json(ref('Error'), 'over the per-merchant rate limit (RATE_LIMITED)'),
        headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds until the next request is allowed' } },
      },
    },
    schemas: {
      Error: object(
        {
          error: { type: 'string', description: 'stable code, e.g. VALIDATION_FAILED, NOT_FOUND, UNAUTHORIZED, RATE_LIMITED, PAYLOAD_TOO_LARGE (a body over 64 KB)' },
          message: { type: 'string' },
          fields: { type: 'array', items: ref('FieldProblem') },
          correlationId: { type: 'string' },
        },
        ['error', 'message'],
      ),
      FieldProblem: object({ field: { type: 'string' }, message: { type: 'string' } }),
      Readiness: object({
        status: { type: 'string', enum: ['ready', 'not ready'] },
        service: { type: 'string' },
        checks: object({ database: { type: 'string', enum: ['ok', 'unreachable'] }, kafka: { type: 'string', enum: ['ok', 'unreachable'] } }),
      }),
      Payment: object({
        paymentReference: { type: 'string' },
        orderNumber: nullable('string', { description: 'null while only the settlement feed has mentioned the payment' }),
        merchantId: UUID,
        channel: nullable('string'),
        amountMinor: MINOR_UNITS,
        currency: nullable('string', { pattern: '^[A-Z]{3}$', description: 'ISO 4217; null while only a failed settlement batch has mentioned the payment' }),
        status: {
          type: 'string',
          enum: STATUSES,
          description:
            'SETTLED: paid out to the merchant\'s account. CLEARING: the bank or channel is still clearing it, or it cleared and awaits its settlement batch. FAILED: clearing failed, or the payout failed. REVERSED: the money went back to the buyer (wins over everything else).',
        },
        firstSeenAt: { ...TIMESTAMP, description: 'when the payment first appeared in the clearing or settlement feed (about when the buyer paid); the date filters and the summary use it' },
        clearing: { oneOf: [{ type: 'null' }, ref('ClearingState')] },
        settlement: { oneOf: [{ type: 'null' }, ref('Payout')], description: 'the batch that paid it out, if any' },
        expectedSettlementDate: nullable('string', {
          format: 'date',
          description: 'CLEARING only: T+N business days after clearing (N per channel), skipping weekends and bank holidays',
        }),
        failure: { oneOf: [{ type: 'null' }, ref('Failure')], description: 'FAILED only' },
        reversedAt: nullable('string', { format: 'date-time', description: 'REVERSED only' }),
        updatedAt: TIMESTAMP,
      }),
      ClearingState: object({
        status: { type: 'string', enum: ['CLEARING', 'CLEARED', 'FAILED', 'REVERSED'] },
        statusAt: TIMESTAMP,
        clearedAt: nullable('string', { format: 'date-time' }),
      }),
      Payout: object({
        batchId: { type: 'string' },
        settledAt: TIMESTAMP,
        destinationAccountMasked: nullable('string', { examples: ['****6789'] }),
      }),
      Failure: {
        ...object({
          code: { type: 'string' },
          source: { type: 'string', enum: ['CLEARING', 'SETTLEMENT'] },
          explanation: { type: 'string' },
          remedy: { type: 'string' },
        }),
        description: `Known codes:\n${failureCodes}\nAny other code gets a generic explanation.`,
      },
      PaymentPage: object({
        data: { type: 'array', items: ref('Payment') },
        nextCursor: nullable('string', { description: 'pass as cursor for the next page; null on the last page' }),
      }),
      StatusFigures: object({ count: { type: 'integer', minimum: 0 }, amountMinor: MINOR_UNITS }),
      DailySummary: object({
        date: DATE,
        from: TIMESTAMP,
        to: TIMESTAMP,
        currencies: {
          type: 'array',
          items: object({
            currency: nullable('string'),
            count: { type: 'integer', minimum: 0 },
            amountMinor: MINOR_UNITS,
            byStatus: object(Object.fromEntries(STATUSES.map((s) => [s, ref('StatusFigures')]))),
          }),
        },
      }),
      CreateMerchant: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { id: { ...UUID, description: 'optional: the id upstream systems already use' }, name: { type: 'string', minLength: 1, maxLength: 200 } },
      },
      Merchant: object({ id: UUID, name: { type: 'string' }, createdAt: TIMESTAMP }),
      CreatedMerchant: object({ id: UUID, name: { type: 'string' }, createdAt: TIMESTAMP, created: { type: 'boolean' } }),
      MerchantList: object({
        data: { type: 'array', items: object({ id: UUID, name: { type: 'string' }, createdAt: TIMESTAMP, activeKeys: { type: 'integer', minimum: 0 } }) },
      }),
      CreateApiKey: { type: 'object', additionalProperties: false, properties: { label: { type: 'string', maxLength: 100 } } },
      ApiKey: object({
        id: UUID,
        merchantId: UUID,
        prefix: { type: 'string', description: 'the first characters of the key, to tell keys apart', examples: ['pt_live_Ab3x'] },
        label: nullable('string'),
        status: { type: 'string', enum: ['ACTIVE', 'REVOKED'] },
        createdAt: TIMESTAMP,
        revokedAt: nullable('string', { format: 'date-time' }),
      }),
      CreatedApiKey: object({
        id: UUID,
        merchantId: UUID,
        prefix: { type: 'string' },
        label: nullable('string'),
        status: { type: 'string', enum: ['ACTIVE'] },
        createdAt: TIMESTAMP,
        revokedAt: { type: 'null' },
        key: { type: 'string', pattern: '^pt_live_[A-Za-z0-9_-]{43}$', description: 'the secret: shown here once, stored only as a hash' },
        notice: { type: 'string' },
      }),
      ApiKeyList: object({ data: { type: 'array', items: ref('ApiKey') } }),
      RotatedApiKey: object({ apiKey: ref('CreatedApiKey'), revoked: ref('ApiKey') }),
    },
  },
};
