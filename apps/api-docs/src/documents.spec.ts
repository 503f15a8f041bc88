import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DECORATORS, type OpenAPIObject } from '@nestjs/swagger';
import { ValidationTypes, getMetadataStorage } from 'class-validator';
import fs from 'node:fs';
import { DOCUMENTED_SERVICES, committedDocumentPath, generatedDocumentText, type DocumentedService } from './services.js';

// No PostgreSQL, no Kafka: the documents are generated in-process from the controllers.

type Operation = {
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
};
type Controller = Type<object>;

const documents = new Map<string, OpenAPIObject>();
async function documentOf(service: DocumentedService): Promise<OpenAPIObject> {
  if (!documents.has(service.name)) documents.set(service.name, JSON.parse(await generatedDocumentText(service)) as OpenAPIObject);
  return documents.get(service.name)!;
}

function operations(document: OpenAPIObject): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => [`${method} ${path}`, op] as [string, Operation]),
  );
}

/** Every controller of a module tree (static or dynamic modules). */
function controllersOf(root: DynamicModule | Type<unknown>, seen = new Set<unknown>()): Controller[] {
  if (!root || seen.has(root)) return [];
  seen.add(root);
  const dynamic = (root as DynamicModule).module ? (root as DynamicModule) : null;
  const moduleClass = dynamic ? dynamic.module : (root as Type<unknown>);
  const controllers: Controller[] = [
    ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) as Controller[] | undefined) ?? []),
    ...((dynamic?.controllers as Controller[] | undefined) ?? []),
  ];
  const imports = [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) as unknown[] | undefined) ?? []), ...(dynamic?.imports ?? [])];
  for (const imported of imports) {
    if (imported && typeof imported === 'object' && 'then' in imported) continue;
    controllers.push(...controllersOf(imported as DynamicModule, seen));
  }
  return [...new Set(controllers)];
}

interface Handler {
  route: string;
  controller: Controller;
  method: string;
}

/** The HTTP routes of the controllers that are not excluded from the document, as "post /v1/incidents/{id}/claim". */
function httpHandlers(controllers: Controller[]): Handler[] {
  const handlers: Handler[] = [];
  for (const controller of controllers) {
    if ((Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, controller) as boolean[] | undefined)?.[0]) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const verb = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (verb === undefined || sub === undefined) continue;
      const full = `/${[base, sub]
        .map((p) => p.replace(/^\/+|\/+$/g, ''))
        .filter(Boolean)
        .join('/')}`.replace(/:([A-Za-z]+)/g, '{$1}');
      handlers.push({ route: `${RequestMethod[verb].toLowerCase()} ${full}`, controller, method: name });
    }
  }
  return handlers;
}

/** The DTO class of a handler's @Body() or @Query() parameter, if it has one. */
function argumentClass(handler: Handler, type: RouteParamtypes): Type<unknown> | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, handler.controller, handler.method) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const entry = Object.entries(args).find(([key, arg]) => key.split(':')[0] === String(type) && arg.data === undefined);
  if (!entry) return undefined;
  const types = Reflect.getMetadata('design:paramtypes', handler.controller.prototype, handler.method) as Type<unknown>[];
  const cls = types[entry[1].index];
  return cls && ![Object, String, Number, Boolean, Array].includes(cls as never) ? cls : undefined;
}

/** The properties a DTO validates, and which of them may be left out (@IsOptional). */
function validation(cls: Type<unknown>): { properties: string[]; required: string[] } {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const properties = [...new Set(metadata.map((m) => m.propertyName))].sort();
  const optional = new Set(metadata.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
  return { properties, required: properties.filter((p) => !optional.has(p)) };
}

function schemaName(cls: Type<unknown>): string {
  return (Reflect.getMetadata(DECORATORS.API_SCHEMA, cls) as { name?: string }[] | undefined)?.find((s) => s.name)?.name ?? cls.name;
}

/** Every $ref in a value. */
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

describe.each(DOCUMENTED_SERVICES.map((s) => [s.name, s] as const))('the OpenAPI document of %s', (name, service) => {
  it(`is the same as docs/openapi/${name}.json`, async () => {
    const file = committedDocumentPath(process.cwd(), name);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(missing)';
    const generated = await generatedDocumentText(service);
    if (committed !== generated) {
      throw new Error(`docs/openapi/${name}.json is not the document the ${name} controllers generate: run \`npm run openapi\` and commit the result.`);
    }
  });

  it('describes exactly the HTTP routes of its controllers (no Kafka consumer, no /openapi.json, no console assets)', async () => {
    const documented = operations(await documentOf(service))
      .map(([route]) => route)
      .sort();
    expect(documented).toEqual(
      httpHandlers(controllersOf(service.module()))
        .map((h) => h.route)
        .sort(),
    );
    expect(documented).not.toContain('get /openapi.json');
  });

  it('gives every operation a summary, a declared tag and a 2xx response', async () => {
    const document = await documentOf(service);
    const tags = new Set((document.tags ?? []).map((t) => t.name));
    for (const [route, op] of operations(document)) {
      expect({ route, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({ route, summary: true });
      expect({ route, tags: (op.tags ?? []).filter((t) => !tags.has(t)) }).toEqual({ route, tags: [] });
      expect({ route, tagged: (op.tags ?? []).length > 0 }).toEqual({ route, tagged: true });
      expect({ route, success: Object.keys(op.responses).some((status) => /^2\d\d$/.test(status)) }).toEqual({ route, success: true });
    }
  });

  it('declares every security scheme its operations use, and uses every one it declares', async () => {
    const document = await documentOf(service);
    const declared = Object.keys(document.components?.securitySchemes ?? {}).sort();
    const used = new Set<string>();
    for (const [route, op] of operations(document)) {
      const requirements = (op.security ?? []).map((r) => JSON.stringify(Object.keys(r).sort()));
      expect({ route, duplicated: requirements.length - new Set(requirements).size }).toEqual({ route, duplicated: 0 });
      for (const requirement of op.security ?? []) for (const scheme of Object.keys(requirement)) used.add(scheme);
      // A route with a credential says what happens without one.
      if ((op.security ?? []).length > 0) expect({ route, has401: '401' in op.responses }).toEqual({ route, has401: true });
    }
    expect([...used].sort()).toEqual(declared);
  });

  it('has no dangling $ref', async () => {
    const document = await documentOf(service);
    const schemas = document.components?.schemas ?? {};
    for (const ref of refs(document)) {
      expect({ ref, found: ref.replace('#/components/schemas/', '') in schemas }).toEqual({ ref, found: true });
    }
  });

  it('documents request bodies and queries with the fields, and the required fields, their DTO validates', async () => {
    const document = await documentOf(service);
    const byRoute = new Map(operations(document));
    const schemas = (document.components?.schemas ?? {}) as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    const bodies = new Map<string, Type<unknown>>();
    for (const handler of httpHandlers(controllersOf(service.module()))) {
      const op = byRoute.get(handler.route)!;
      const body = argumentClass(handler, RouteParamtypes.BODY);
      if (body) {
        const ref = op.requestBody?.content['application/json']?.schema.$ref;
        expect({ route: handler.route, ref }).toEqual({ route: handler.route, ref: `#/components/schemas/${schemaName(body)}` });
      }
      // Models a route names itself (a body read from the request, e.g. a JSON run or a CSV upload).
      const extra =
        (Reflect.getMetadata(DECORATORS.API_EXTRA_MODELS, handler.controller.prototype[handler.method as never]) as Type<unknown>[] | undefined) ?? [];
      for (const cls of [...(body ? [body] : []), ...extra]) bodies.set(schemaName(cls), cls);
      const query = argumentClass(handler, RouteParamtypes.QUERY);
      if (query) {
        const { properties, required } = validation(query);
        const parameters = (op.parameters ?? []).filter((p) => p.in === 'query');
        expect({ route: handler.route, query: parameters.map((p) => p.name).sort() }).toEqual({ route: handler.route, query: properties });
        expect({
          route: handler.route,
          required: parameters
            .filter((p) => p.required)
            .map((p) => p.name)
            .sort(),
        }).toEqual({ route: handler.route, required });
      }
    }
    // Every JSON body of a POST refers to a DTO schema that matches the DTO's validation.
    for (const [route, op] of operations(document)) {
      const ref = op.requestBody?.content['application/json']?.schema.$ref;
      if (!route.startsWith('post ') || !ref) continue;
      const name = ref.replace('#/components/schemas/', '');
      const cls = bodies.get(name);
      expect({ route, dto: cls ? name : undefined }).toEqual({ route, dto: name });
      const { properties, required } = validation(cls!);
      expect({ schema: name, properties: Object.keys(schemas[name]?.properties ?? {}).sort() }).toEqual({ schema: name, properties });
      expect({ schema: name, required: [...(schemas[name]?.required ?? [])].sort() }).toEqual({ schema: name, required });
    }
  });
});
