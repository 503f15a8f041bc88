import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { PrerequisiteError } from './prerequisites.js';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * The Chromium the page tests drive. CHROMIUM_PATH wins; otherwise Debian's package,
 * installed with apt-get when it is missing and the tests run as root.
 */
export function ensureChromium(say: (line: string) => void, env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM_PATH) {
    if (!fs.existsSync(env.CHROMIUM_PATH)) throw new PrerequisiteError(`CHROMIUM_PATH points at ${env.CHROMIUM_PATH}, which does not exist.`);
    return env.CHROMIUM_PATH;
  }
  if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    throw new PrerequisiteError(
      `no Chromium for the console's page tests: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  say("installing Debian's chromium for the page tests (apt-get, first run only)...");
  const run = (args: string[]) =>
    spawnSync('apt-get', args, { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const update = run(['update', '-qq']);
  const install = update.status === 0 ? run(['install', '-y', '-qq', '--no-install-recommends', 'chromium']) : update;
  if (install.status !== 0 || !fs.existsSync(DEBIAN_CHROMIUM)) {
    const tail = `${install.stdout}\n${install.stderr}`.trim().split('\n').slice(-3).join(' | ');
    throw new PrerequisiteError(`apt-get could not install chromium (${tail}); install it by hand or set CHROMIUM_PATH.`);
  }
  say('chromium installed.');
  return DEBIAN_CHROMIUM;
}
