import { freePort, projectRoot, spawnService, type ServiceProcess } from '@pt/dev-stack';
import path from 'node:path';

/** Starts the bare Express baseline (see baseline-server.ts) against a database. */
export async function startBaseline(mode: 'intake-insert' | 'settlement-lookup', databaseUrl: string): Promise<ServiceProcess> {
  const port = await freePort();
  return spawnService({
    name: `baseline-${mode}`,
    entry: path.join(projectRoot(), 'dist', 'libs', 'bench', 'src', 'baseline-server.js'),
    url: `http://127.0.0.1:${port}`,
    env: { ...process.env, BASELINE_MODE: mode, BASELINE_PORT: String(port), DATABASE_URL: databaseUrl, DB_POOL_SIZE: '10' },
  });
}
