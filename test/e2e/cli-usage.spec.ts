import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '@pt/dev-stack';

/**
 * Every command line refuses what it does not understand: an unknown option (a typo such
 * as --fiel for --file), an option without its value, a missing required argument. It
 * names the argument, prints its usage and exits 2, before it opens a database or a
 * broker: the environment points at ports nobody listens on, so a program that went on
 * would fail with another status.
 */
describe('command lines refuse unknown and missing arguments', () => {
  const unreachable = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
    KAFKA_BROKERS: '127.0.0.1:1',
    ADMIN_TOKEN: 'not-a-real-admin-token-at-all',
  };

  const cli = (file: string, args: string[]) =>
    spawnSync(process.execPath, [path.join(projectRoot(), 'dist', file), ...args], { env: unreachable, encoding: 'utf8', cwd: projectRoot(), timeout: 60_000 });

  const cases: { program: string; file: string; usage: string; wrong: [string[], string][] }[] = [
    {
      program: 'recon',
      file: 'apps/reconciliation/src/recon-cli.js',
      usage: 'usage: npm run recon',
      wrong: [
        [['run', '--channel', 'wechat', '--date', '2026-11-16', '--fiel', 'statement.csv'], 'unknown option --fiel'],
        [['run', '--date', '2026-11-16', '--file', 'statement.csv'], '--channel is required'],
        [['run', '--channel', 'wechat', '--file', 'statement.csv'], '--date is required'],
        [['run', '--channel', 'wechat', '--date', '2026-11-16', '--file'], '--file needs a value'],
        [['run', '--channel', 'wechat'], '--file with --date, or --from, is required'],
        [['show'], 'show needs a run id'],
        [['rerun'], 'unknown command rerun'],
      ],
    },
    {
      program: 'vault',
      file: 'apps/reconciliation/src/vault-cli.js',
      usage: 'usage: npm run vault',
      wrong: [
        [['import', 'keys.csv', '--dry-run'], 'unknown option --dry-run'],
        [['import'], 'import needs a file'],
        [['rotate', 'now'], 'unexpected argument now'],
      ],
    },
    {
      program: 'check-invariants',
      file: 'libs/invariants/src/cli.js',
      usage: 'usage: npm run check-invariants',
      wrong: [
        [['--jsn'], 'unknown option --jsn'],
        [['--settle-seconds'], '--settle-seconds needs a value'],
        [['--publish-seconds', 'soon'], '--publish-seconds needs a number of seconds'],
      ],
    },
    {
      program: 'soak',
      file: 'libs/testing/src/soak/soak-cli.js',
      usage: 'usage: npm run soak',
      wrong: [
        [['--minuts', '1'], 'unknown option --minuts'],
        [['--minutes'], '--minutes needs a value'],
        [['--rate', '0'], '--rate must be a positive number'],
      ],
    },
    {
      program: 'bench',
      file: 'libs/bench/src/main.js',
      usage: 'usage: npm run bench',
      wrong: [
        [['--round', '1'], 'unknown option --round'],
        [['--rounds'], '--rounds needs a value'],
        [['--only', 'pipline'], '--only takes pipeline, intake, settlement, recon; not pipline'],
      ],
    },
    {
      program: 'simulator',
      file: 'apps/simulator/src/main.js',
      usage: 'usage: simulator seed',
      wrong: [
        [['seed', '--dry-run'], 'unknown option --dry-run'],
        [[], 'a command is required'],
      ],
    },
  ];

  describe.each(cases)('$program', ({ program, file, usage, wrong }) => {
    it.each(wrong)('%j exits 2 naming the problem (%s) and printing the usage', (args, problem) => {
      const result = cli(file, args);
      expect(result.error).toBeUndefined();
      expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
      expect(result.stderr.startsWith(`${program}: ${problem}`)).toBe(true);
      expect(result.stderr).toContain(usage);
    });

    it('prints its usage on --help and exits 0', () => {
      const result = cli(file, program === 'recon' || program === 'vault' || program === 'simulator' ? ['help'] : ['--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(usage);
    });
  });
});
