import { RequestMethod } from '@nestjs/common';
import { HealthController } from '@pt/platform';
import fs from 'node:fs';
import path from 'node:path';
import { MerchantsAdminController } from '../merchants/merchants-admin.controller.js';
import { PaymentsController } from '../payments/payments.controller.js';
import { OpenApiController } from './openapi.controller.js';
import { SETTLEMENT_OPENAPI } from './openapi.document.js';

/** Every HTTP route the controllers declare, as "get /v1/payments/{paymentReference}". */
function declaredRoutes(controllers: (new (...args: never[]) => object)[]): string[] {
  const routes: string[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata('path', controller) ?? '/');
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const method = Reflect.getMetadata('method', handler) as RequestMethod | undefined;
      const sub = Reflect.getMetadata('path', handler) as string | undefined;
      if (method === undefined || sub === undefined) continue;
      const full = `/${[base, sub].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`.replace(/:([A-Za-z]+)/g, '{$1}');
      routes.push(`${RequestMethod[method].toLowerCase()} ${full}`);
    }
  }
  return routes.sort();
}

function documentedRoutes(): string[] {
  return Object.entries(SETTLEMENT_OPENAPI.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((method) => `${method} ${p}`))
    .sort();
}

/** Every $ref in the document, to check each points at something. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('describes exactly the routes the service declares', () => {
    expect(documentedRoutes()).toEqual(declaredRoutes([PaymentsController, MerchantsAdminController, OpenApiController, HealthController]));
  });

  it('has no dangling $ref', () => {
    for (const ref of refs(SETTLEMENT_OPENAPI)) {
      const [, section, name] = /^#\/components\/(\w+)\/(\w+)$/.exec(ref) ?? [];
      expect((SETTLEMENT_OPENAPI.components as Record<string, Record<string, unknown>>)[section!]?.[name!]).toBeDefined();
    }
  });

  it('is the same as the copy in docs/openapi/settlement.json', () => {
    const file = path.join(process.cwd(), 'docs', 'openapi', 'settlement.json');
    const copy: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    // If this fails: node dist/apps/settlement/src/cli.js openapi > docs/openapi/settlement.json
    expect(copy).toEqual(JSON.parse(JSON.stringify(SETTLEMENT_OPENAPI)));
  });
});
