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

const USAGE = `usage: npm run bench -- [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--connections N]
                       [--only pipeline,intake,settlement,recon] [--output FILE]`;

export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = { rounds: 3, duration: 8, warmup: 3, connections: 16, only: [], output: 'bench-results.json' };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const positive = (name: string) => {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case '--rounds':
        options.rounds = Math.round(positive('--rounds'));
        break;
      case '--duration':
        options.duration = positive('--duration');
        break;
      case '--warmup':
        options.warmup = positive('--warmup');
        break;
      case '--connections':
        options.connections = Math.round(positive('--connections'));
        break;
      case '--only':
        options.only = value().split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--output':
        options.output = value();
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return options;
}
