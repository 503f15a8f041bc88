import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** One problem with one field, named by its dotted path. */
export interface FieldProblem {
  field: string;
  message: string;
}

function flatten(errors: ValidationError[], prefix: string, out: FieldProblem[]): void {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.value === undefined && error.constraints && !error.constraints.whitelistValidation) {
      out.push({ field, message: `${field} is required` });
      continue;
    }
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field, message: message.replace(/^property (\S+) should not exist$/, '$1 is not a known field') });
    }
    if (error.children?.length) flatten(error.children, field, out);
  }
}

/**
 * Turns a plain object into an instance of `cls` and validates it.
 * Unknown properties are reported, so a misspelt field never passes silently.
 */
export function validateAs<T extends object>(
  cls: ClassConstructor<T>,
  plain: unknown,
  fieldPrefix = '',
): { value: T; problems: [] } | { value: undefined; problems: FieldProblem[] } {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { value: undefined, problems: [{ field: fieldPrefix || '(body)', message: 'must be a JSON object' }] };
  }
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length === 0) return { value: instance, problems: [] };
  const problems: FieldProblem[] = [];
  flatten(errors, fieldPrefix, problems);
  return { value: undefined, problems };
}

/** Human-readable single line for a list of problems. */
export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}
