import { UsageError, parseCommandLine, positiveNumberOption } from '@pt/config';

/** Command-line settings of `npm run bench`. */
export interface BenchOptions {
  rounds: number;
  /** Seconds each measured round lasts. */
  duration: number;
  /** Seconds of warm-up before the rounds of each scenario. */
  warmup: number;
  /** HTTP connections (and concurrent Kafka senders) at saturation. */
  connections: number;
  /** Scenario names to run; all when empty. */
  only: string[];
  output: string;
}

const SCENARIOS = ['pipeline', 'intake', 'settlement', 'recon'];

export const BENCH_USAGE = `usage: npm run bench -- [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--connections N]
                       [--only ${SCENARIOS.join(',')}] [--output FILE]`;

/** Reads the command line of `npm run bench`; `'help'` when help was asked for. */
export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseCommandLine(argv, {
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    only: { type: 'string' },
    output: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const only = (values.only ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((name) => !SCENARIOS.includes(name));
  if (unknown.length > 0) throw new UsageError(`--only takes ${SCENARIOS.join(', ')}; not ${unknown.join(', ')}`);
  if (values.output === '') throw new UsageError('--output needs a file name');
  return {
    rounds: values.rounds === undefined ? 3 : Math.round(positiveNumberOption(values.rounds, 'rounds')),
    duration: values.duration === undefined ? 8 : positiveNumberOption(values.duration, 'duration'),
    warmup: values.warmup === undefined ? 3 : positiveNumberOption(values.warmup, 'warmup'),
    connections: values.connections === undefined ? 16 : Math.round(positiveNumberOption(values.connections, 'connections')),
    only,
    output: values.output ?? 'bench-results.json',
  };
}
