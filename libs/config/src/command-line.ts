import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line the program cannot act on: the caller prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What node:util's parseArgs reports, in one short sentence naming the argument at fault. */
function plainProblem(error: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? error.message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ?? error.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (quoted && /argument missing/.test(error.message)) return `${quoted.split(' ')[0]} needs a value`;
      return quoted && /does not take an argument/.test(error.message) ? `${quoted} takes no value` : error.message;
    default:
      return error.message;
  }
}

/**
 * Reads a command line with node:util's `parseArgs` in strict mode: an unknown option,
 * an option without its value or a stray argument is a {@link UsageError} naming it,
 * never silently ignored. `maxPositionals` (default 0) bounds the plain arguments.
 */
export function parseCommandLine<O extends OptionsConfig>(
  args: string[],
  options: O,
  maxPositionals = 0,
): { values: ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true; args: string[] }>>['values']; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(plainProblem(error as Error & { code?: string }));
    throw error;
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument ${parsed.positionals[maxPositionals]}`);
  return { values: parsed.values, positionals: parsed.positionals };
}

/** The value of a string option that must be given: a {@link UsageError} naming `--name` otherwise. */
export function requiredOption(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** A positive number given as an option's text; a {@link UsageError} naming `--name` otherwise. */
export function positiveNumberOption(text: string, name: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, got "${text}"`);
  return value;
}

/**
 * Runs a command-line program's `main`: a {@link UsageError} is printed as
 * `<program>: <problem>` followed by the usage, and gives exit status 2; anything else
 * propagates to the caller's own handling.
 */
export async function withUsage(program: string, usage: string, main: () => Promise<number>): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${program}: ${error.message}\n\n${usage}\n`);
    return 2;
  }
}
