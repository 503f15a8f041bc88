// Entry point of `npm start`, `npm test` and `npm run test:unit`. Uses only Node built-ins, because on a
// fresh clone nothing else is installed yet: it installs the locked dependencies when
// they are missing or stale, compiles the TypeScript, then hands over to the compiled
// launcher in its own process group so that Ctrl-C reaches the launcher alone and it can
// stop the services before the broker and the database.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const say = (line) => process.stdout.write(`[payment-triage] ${line}\n`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function lockHash() {
  return createHash('sha256')
    .update(fs.readFileSync(path.join(root, 'package-lock.json')))
    .digest('hex');
}

function ensureDependencies() {
  const marker = path.join(root, 'node_modules', '.payment-triage-lock-hash');
  const wanted = lockHash();
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === wanted) return;
  say('dependencies are missing or out of date: installing them from package-lock.json (npm ci)...');
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('[payment-triage] npm ci failed; see the output above.\n');
    process.exit(result.status ?? 1);
  }
  fs.writeFileSync(marker, `${wanted}\n`);
}

// Compiles over the previous output rather than deleting it first, so a build never
// pulls files from under services that are running from dist/.
function build() {
  const swc = path.join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
  const result = spawnSync(process.execPath, [swc, 'apps', 'libs', '-d', 'dist', '--quiet', '--copy-files'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('[payment-triage] compiling the TypeScript sources failed; see the output above.\n');
    process.exit(result.status ?? 1);
  }
}

// The specs beside the code (apps/, libs/) need no server: jest runs them straight from
// the sources, with no database, broker or browser started and none reachable.
function runUnitSpecs(args) {
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim() };
  for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'TEST_PG_ADMIN_URL', 'TEST_TEMPLATE_DB', 'CHROMIUM_PATH']) delete env[name];
  const result = spawnSync(process.execPath, [jest, '--config', path.join(root, 'jest.unit.config.js'), ...args], { cwd: root, stdio: 'inherit', env });
  process.exit(result.status ?? 1);
}

const [command, ...rest] = process.argv.slice(2);
if (!['start', 'test', 'unit', 'build', 'install'].includes(command)) {
  process.stderr.write('usage: node libs/dev-stack/bootstrap.mjs (start | test | unit | build | install)\n');
  process.exit(2);
}
ensureDependencies();
if (command === 'install') process.exit(0);
if (command === 'unit') runUnitSpecs(rest);
build();
if (command === 'build') process.exit(0);

const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'dist', 'libs', 'dev-stack', 'src', 'cli.js'), command, ...rest], {
  cwd: root,
  stdio: 'inherit',
  detached: true,
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
