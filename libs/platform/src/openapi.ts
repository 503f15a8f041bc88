import { HttpStatus, applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiHeader,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  ApiSecurity,
  DocumentBuilder,
  SwaggerModule,
  getSchemaPath,
  type OpenAPIObject,
  type SecuritySchemeObject,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AgentRole } from './agent-token.js';

/** Where every service serves its generated document (no credential needed). */
export const OPENAPI_PATH = '/openapi.json';

/**
 * How callers prove who they are, one scheme per credential. Each document declares the
 * schemes its operations use (see `ServiceApiDocs.securitySchemes`).
 */
export const SECURITY_SCHEMES = {
  merchantBearer: {
    type: 'http',
    scheme: 'bearer',
    description: "A merchant's API key: `Authorization: Bearer pt_live_…` (issued by an operator, shown once, stored only as a hash).",
  },
  merchantApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same merchant API key (`pt_live_…`), in X-API-Key.' },
  adminBearer: {
    type: 'http',
    scheme: 'bearer',
    description: "Authorization: Bearer <token of one of the ADMIN_TOKENS credentials>. Every change is audited under the credential's name.",
  },
  channelClient: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A channel client's key (the shop's help center, chat bot or phone desk, calling on a buyer's behalf): `Authorization: Bearer pt_chan_…`, issued by an operator. A key revoked at intake is refused by reconciliation as soon as the change reaches it.",
  },
  buyerToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Buyer-Token',
    description:
      "A signed-in buyer's token, a JWT the shop signs (HS256 with BUYER_TOKEN_SECRET, or a key of its JWKS), with issuer BUYER_TOKEN_ISSUER, audience BUYER_TOKEN_AUDIENCE, and a lifetime of at most BUYER_TOKEN_MAX_LIFETIME_SECONDS; its `sub` is the buyer's account id. Sent by a channel client, together with its own key.",
  },
  agentBearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "An agent token from POST /v1/auth/sign-in at intake: `Authorization: Bearer <JWT>` (EdDSA or ES256, issuer payment-triage/intake, audience payment-triage/agent-api). Its session must still be live, and the agent's current role decides (agent or supervisor).",
  },
} satisfies Record<string, SecuritySchemeObject>;

export type SecuritySchemeName = keyof typeof SECURITY_SCHEMES;

/** What a service says about its API; the operations come from its controllers. */
export interface ServiceApiDocs {
  title: string;
  description: string;
  version: string;
  /** The tags of the document, in the order readers should see them. */
  tags: { name: string; description: string }[];
  securitySchemes: SecuritySchemeName[];
}

/** The body of every error answer (see ApiError and HttpExceptionFilter). */
@ApiSchema({ name: 'FieldProblem' })
export class FieldProblemBody {
  @ApiProperty({ example: 'orderNumber' })
  field!: string;

  @ApiProperty()
  message!: string;
}

@ApiSchema({ name: 'Error' })
export class ErrorBody {
  @ApiProperty({
    description:
      "stable code, e.g. VALIDATION_FAILED, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, PAYLOAD_TOO_LARGE (a body over the route's limit, 64 KB unless said otherwise)",
  })
  error!: string;

  @ApiProperty()
  message!: string;

  @ApiPropertyOptional({ type: [FieldProblemBody], description: 'each field at fault (VALIDATION_FAILED)' })
  fields?: FieldProblemBody[];

  @ApiPropertyOptional({ description: 'the X-Correlation-Id of the request, to find it in the logs' })
  correlationId?: string;
}

/** An error answer with the Error body. */
export const ApiErrorResponse = (status: number, description: string, headers?: Record<string, { description?: string; schema: { type: string } }>) =>
  ApiResponse({ status, description, type: ErrorBody, ...(headers ? { headers } : {}) });

/** 400 VALIDATION_FAILED. */
export const ApiValidationFailed = (description = 'a parameter or field is invalid; `fields` names each one (VALIDATION_FAILED)') =>
  ApiErrorResponse(HttpStatus.BAD_REQUEST, description);

/** 404 NOT_FOUND. */
export const ApiNotFound = (description: string) => ApiErrorResponse(HttpStatus.NOT_FOUND, `${description} (NOT_FOUND)`);

const RETRY_AFTER = { 'Retry-After': { description: 'seconds until the next request is allowed', schema: { type: 'integer' } } };

/** Routes behind AdminTokenGuard. */
export const ApiAdminAuth = () =>
  applyDecorators(
    ApiSecurity('adminBearer'),
    ApiErrorResponse(HttpStatus.UNAUTHORIZED, 'no admin bearer token, or a wrong one (UNAUTHORIZED)', { 'WWW-Authenticate': { schema: { type: 'string' } } }),
  );

/** Routes behind an agent token guard with RequireRole(role). */
export const ApiAgentAuth = (role: AgentRole) =>
  applyDecorators(
    ApiSecurity('agentBearer'),
    ApiErrorResponse(HttpStatus.UNAUTHORIZED, 'no agent token, or an invalid or expired one, or its session ended (UNAUTHORIZED)'),
    ...(role === 'supervisor' ? [ApiErrorResponse(HttpStatus.FORBIDDEN, 'the agent is not a supervisor (FORBIDDEN)')] : []),
  );

/**
 * Routes a channel client calls with its key. `buyer` says whether the buyer's token goes
 * with it: required, optional (the answer depends on it), or not at all; `rateLimited`
 * describes the 429 when the route has one.
 */
export const ApiChannelClientAuth = (options: { buyer: 'required' | 'optional' | 'none'; rateLimited?: string }) =>
  applyDecorators(
    ...(options.buyer === 'none' ? [ApiSecurity('channelClient')] : [ApiSecurity({ channelClient: [], buyerToken: [] })]),
    ...(options.buyer === 'optional' ? [ApiSecurity('channelClient')] : []),
    ApiErrorResponse(
      HttpStatus.UNAUTHORIZED,
      options.buyer === 'none'
        ? 'no channel client key, or an unknown or revoked one (UNAUTHORIZED)'
        : 'no channel client key, or an unknown or revoked one (UNAUTHORIZED); or a buyer token that is missing where required, malformed, expired, or not signed by the shop (BUYER_TOKEN_INVALID)',
      { 'WWW-Authenticate': { schema: { type: 'string' } } },
    ),
    ...(options.rateLimited ? [ApiErrorResponse(HttpStatus.TOO_MANY_REQUESTS, options.rateLimited, RETRY_AFTER)] : []),
  );

/** Routes behind the merchant API key (settlement). */
export const ApiMerchantAuth = () =>
  applyDecorators(
    ApiSecurity('merchantBearer'),
    ApiSecurity('merchantApiKey'),
    ApiErrorResponse(HttpStatus.UNAUTHORIZED, 'no API key, or an unknown or revoked one (UNAUTHORIZED)', {
      'WWW-Authenticate': { schema: { type: 'string' } },
    }),
    ApiErrorResponse(HttpStatus.TOO_MANY_REQUESTS, 'over the per-merchant rate limit (RATE_LIMITED)', RETRY_AFTER),
  );

/** The optional Idempotency-Key header of a create. */
export const ApiIdempotencyKey = (description: string) =>
  ApiHeader({ name: 'Idempotency-Key', required: false, description, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' } });

const METHOD_ORDER = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function sortedByKey<T>(record: Record<string, T> | undefined, order?: (a: string, b: string) => number): Record<string, T> | undefined {
  if (!record) return record;
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (order ? order(a, b) : a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The paths, their methods and the components in a fixed order, whatever order the
 * modules and controllers were registered in, so that the committed copies only change
 * when the API does.
 */
function stableOrder(document: OpenAPIObject): OpenAPIObject {
  const paths = sortedByKey(document.paths)!;
  for (const [path, item] of Object.entries(paths)) {
    paths[path] = sortedByKey(item as Record<string, unknown>, (a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b)) as typeof item;
  }
  const components = document.components ?? {};
  const sortedComponents = Object.fromEntries(
    Object.entries(components)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([section, entries]) => [section, sortedByKey(entries as Record<string, unknown>)]),
  );
  // A fresh copy, in the order the document is read: info, tags, paths, components.
  const { openapi, info, servers, tags, security, externalDocs, ...rest } = document;
  // DocumentBuilder starts every document with an empty contact; it says nothing.
  if (info.contact && Object.keys(info.contact).length === 0) delete info.contact;
  return JSON.parse(
    JSON.stringify({
      openapi,
      info,
      ...(servers && servers.length > 0 ? { servers } : {}),
      ...(tags ? { tags } : {}),
      ...(security ? { security } : {}),
      ...(externalDocs ? { externalDocs } : {}),
      ...rest,
      paths,
      components: sortedComponents,
    }),
  ) as OpenAPIObject;
}

/**
 * Builds a service's OpenAPI 3.1 document from the controllers of a created (not
 * necessarily initialised) application. It depends on nothing but the code: the same
 * sources give the same document, served at start and written by `npm run openapi`.
 */
export function buildOpenApiDocument(app: INestApplication, docs: ServiceApiDocs): OpenAPIObject {
  const builder = new DocumentBuilder().setOpenAPIVersion('3.1.0').setTitle(docs.title).setDescription(docs.description).setVersion(docs.version);
  for (const tag of docs.tags) builder.addTag(tag.name, tag.description);
  for (const name of docs.securitySchemes) builder.addSecurity(name, SECURITY_SCHEMES[name]);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorBody, FieldProblemBody] });
  return stableOrder(document);
}

/** The document as written to docs/openapi/<service>.json: two-space JSON and a final newline. */
export function openApiText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Serves the document at GET /openapi.json, outside the controllers (so it does not describe itself). */
export function serveOpenApiDocument(app: INestApplication, document: OpenAPIObject): void {
  const body = JSON.stringify(document);
  app.getHttpAdapter().get(OPENAPI_PATH, (_req: Request, res: Response) => {
    res.status(200).setHeader('Cache-Control', 'no-cache').type('application/json').send(body);
  });
}

/** Property shapes the services' response classes share. */
export const API_TIMESTAMP = { type: String, format: 'date-time', description: 'UTC, ISO 8601' } as const;
export const API_NULLABLE_TIMESTAMP = { type: String, format: 'date-time', nullable: true } as const;
export const API_MINOR_UNITS = { type: String, pattern: '^-?(0|[1-9][0-9]{0,17})$', description: 'integer amount in minor units, as a string' } as const;
export const API_COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;
/** A property that is either null or the schema of `model` (a thunk, so classes may refer to later ones). */
export const apiNullOr = (model: () => unknown) => ({ oneOf: [{ type: 'null' as const }, { $ref: getSchemaPath(model() as never) }] });
