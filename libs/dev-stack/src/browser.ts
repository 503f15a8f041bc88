import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { PrerequisiteError } from './prerequisites.js';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** Debian's fonts-noto-cjk: without a CJK font the zh-CN pages render as empty boxes. */
const CJK_FONT_DIR = '/usr/share/fonts/opentype/noto';

function hasCjkFont(): boolean {
  try {
    return fs.readdirSync(CJK_FONT_DIR).some((name) => name.startsWith('NotoSansCJK') || name.startsWith('NotoSerifCJK'));
  } catch {
    return false;
  }
}

/**
 * The Chromium the page tests drive. CHROMIUM_PATH wins; otherwise Debian's package,
 * installed with apt-get when it is missing and the tests run as root, together with
 * Debian's CJK font (the zh-CN screenshots need it). Without root, a missing font is
 * said once and the tests go on (the Chinese text of the screenshots shows as boxes).
 */
export function ensureChromium(say: (line: string) => void, env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM_PATH) {
    if (!fs.existsSync(env.CHROMIUM_PATH)) throw new PrerequisiteError(`CHROMIUM_PATH points at ${env.CHROMIUM_PATH}, which does not exist.`);
    return env.CHROMIUM_PATH;
  }
  const missing = [...(fs.existsSync(DEBIAN_CHROMIUM) ? [] : ['chromium']), ...(hasCjkFont() ? [] : ['fonts-noto-cjk'])];
  if (missing.length === 0) return DEBIAN_CHROMIUM;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall && !missing.includes('chromium')) {
    say("no CJK font (Debian's fonts-noto-cjk): the zh-CN screenshots will show boxes for Chinese text; install it as root to fix.");
    return DEBIAN_CHROMIUM;
  }
  if (!canInstall) {
    throw new PrerequisiteError(
      `no Chromium for the console's page tests: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  say(`installing Debian's ${missing.join(' and ')} for the page tests (apt-get, first run only)...`);
  const run = (args: string[]) =>
    spawnSync('apt-get', args, { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const update = run(['update', '-qq']);
  const install = update.status === 0 ? run(['install', '-y', '-qq', '--no-install-recommends', ...missing]) : update;
  if (install.status !== 0 || !fs.existsSync(DEBIAN_CHROMIUM) || !hasCjkFont()) {
    const tail = `${install.stdout}\n${install.stderr}`.trim().split('\n').slice(-3).join(' | ');
    throw new PrerequisiteError(`apt-get could not install ${missing.join(' and ')} (${tail}); install it by hand or set CHROMIUM_PATH.`);
  }
  say(`${missing.join(' and ')} installed.`);
  return DEBIAN_CHROMIUM;
}
