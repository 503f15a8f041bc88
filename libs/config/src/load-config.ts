import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Thrown at start-up when one or more environment variables are missing or malformed. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function collect(errors: ValidationError[], out: string[]): void {
  for (const error of errors) {
    if (error.value === undefined && error.constraints) {
      const explained = Object.values(error.constraints).find((m) => /\brequired\b/.test(m));
      out.push(explained ?? `${error.property}: is required`);
      continue;
    }
    for (const message of Object.values(error.constraints ?? {})) out.push(`${error.property}: ${message}`);
    if (error.children?.length) collect(error.children, out);
  }
}

/**
 * Reads a config class from environment variables. Property names are the variable
 * names; `@Type(() => Number)` and friends convert strings. All problems are listed
 * together so one start-up attempt shows everything that needs fixing.
 */
export function loadConfig<T extends object>(cls: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const instance = plainToInstance(cls, plain, { exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const problems: string[] = [];
    collect(errors, problems);
    throw new ConfigError(problems);
  }
  return instance;
}
