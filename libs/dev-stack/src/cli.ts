import 'reflect-metadata';
import { start } from './start.js';
import { runTests } from './test-runner.js';

const [command, ...rest] = process.argv.slice(2);
if (command === 'start') {
  process.exitCode = await start();
} else if (command === 'test') {
  process.exit(await runTests(rest));
} else {
  process.stderr.write('usage: cli (start | test [jest args])\n');
  process.exit(2);
}
