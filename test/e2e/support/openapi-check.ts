type Schema = Record<string, any>;

const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Checks a value against a schema of the OpenAPI document: the subset the document uses
 * ($ref, type, enum, pattern, format, required, properties, additionalProperties, items,
 * oneOf, minimum). An object schema with properties is closed unless it says
 * `additionalProperties`. Returns every mismatch, by path.
 */
export function schemaProblems(document: Schema, schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) {
    const name = String(schema.$ref).replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) return [`${at}: unknown schema ${schema.$ref}`];
    return schemaProblems(document, target, value, at);
  }
  if (schema.oneOf) {
    const matching = (schema.oneOf as Schema[]).filter((s) => schemaProblems(document, s, value, at).length === 0);
    return matching.length === 1 ? [] : [`${at}: matches ${matching.length} of oneOf`];
  }
  const problems: string[] = [];
  if (schema.type) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [`${at}: ${actual} is not ${types.join('|')}`];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format].test(value))
      problems.push(`${at}: ${JSON.stringify(value)} is not ${schema.format}`);
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => problems.push(...schemaProblems(document, schema.items, v, `${at}[${i}]`)));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${at}.${key}: missing`);
    for (const [key, inner] of Object.entries(record)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...schemaProblems(document, property, inner, `${at}.${key}`));
      else if (typeof schema.additionalProperties === 'object') problems.push(...schemaProblems(document, schema.additionalProperties, inner, `${at}.${key}`));
      // Closed unless the schema opens itself: the generated documents name every field a
      // response may carry, so an undocumented one (a leaked column, a secret) is a failure.
      else if (schema.additionalProperties !== true && schema.properties) problems.push(`${at}.${key}: not in the schema`);
    }
  }
  return problems;
}
