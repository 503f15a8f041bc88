import 'reflect-metadata';
import { describeFailure } from './prerequisites.js';
import { start } from './start.js';
import { runTests } from './test-runner.js';

const [command, ...rest] = process.argv.slice(2);
if (command === 'start') {
  process.exitCode = await start();
} else if (command === 'test') {
  const fail = (error: unknown) => {
    process.stderr.write(`[payment-triage test] cannot run the tests: ${describeFailure(error)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  process.exit(await runTests(rest));
} else {
  process.stderr.write('usage: cli (start | test [jest args])\n');
  process.exit(2);
}
