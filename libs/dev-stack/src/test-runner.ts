import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startInfrastructure, type Infrastructure } from './infrastructure.js';
import { ensureChromium } from './browser.js';
import { describeFailure } from './prerequisites.js';
import { SERVICE_NAMES, projectRoot, serviceEntry } from './service-process.js';

const say = (line: string) => process.stdout.write(`[payment-triage test] ${line}\n`);

/**
 * `npm test`: throw-away PostgreSQL and Kafka (unless DATABASE_URL / KAFKA_BROKERS are
 * set), a migrated template database, then every jest suite; tears it all down and
 * exits with jest's status.
 */
export async function runTests(jestArgs: string[]): Promise<number> {
  const root = projectRoot();
  let infra: Infrastructure | null = null;
  const templateDb = `pt_template_${process.pid}`;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const started = Date.now();
    // Chromium only when the browser test may run: all tests, or a filter that names it.
    const filters = jestArgs.filter((a) => !a.startsWith('-'));
    const chromium = filters.length === 0 || filters.some((f) => /console|browser/.test(f)) ? ensureChromium(say) : '';
    infra = await startInfrastructure({ mode: 'throwaway', root, databaseName: templateDb, say, env: process.env });
    const templateUrl = new URL(infra.adminUrl);
    templateUrl.pathname = `/${templateDb}`;
    for (const name of SERVICE_NAMES) {
      const result = spawnSync(process.execPath, [serviceEntry(name, 'migrate.js')], {
        env: { ...process.env, DATABASE_URL: templateUrl.toString() },
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`migrating the template database failed: ${result.stderr.trim()}`);
    }
    say(`infrastructure ready in ${((Date.now() - started) / 1000).toFixed(1)}s; running jest`);
    const resultsFile = path.join(os.tmpdir(), `payment-triage-jest-${process.pid}.json`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${resultsFile}`, ...jestArgs], {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
          TEST_PG_ADMIN_URL: infra!.adminUrl,
          TEST_TEMPLATE_DB: templateDb,
          KAFKA_BROKERS: infra!.kafkaBrokers,
          ...(chromium ? { CHROMIUM_PATH: chromium } : {}),
          DATABASE_URL: '',
        },
      });
      child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
    });
    if (fs.existsSync(resultsFile)) {
      const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTotalTestSuites: number;
        numFailedTestSuites: number;
      };
      fs.rmSync(resultsFile, { force: true });
      say(`${results.numTotalTestSuites} suites, ${results.numFailedTestSuites} failed; total time ${((Date.now() - started) / 1000).toFixed(1)}s`);
      process.stdout.write(
        `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${results.numPendingTests ? `, ${results.numPendingTests} skipped` : ''}\n`,
      );
    }
    return interrupted ? 130 : code;
  } catch (error) {
    process.stderr.write(`[payment-triage test] cannot run the tests: ${describeFailure(error)}\n`);
    return 1;
  } finally {
    if (infra) {
      if (!infra.embedded.postgres) {
        const client = new pg.Client({ connectionString: infra.adminUrl });
        await client.connect().catch(() => undefined);
        await client.query(`DROP DATABASE IF EXISTS "${templateDb}" WITH (FORCE)`).catch(() => undefined);
        await client.end().catch(() => undefined);
      }
      say('tearing down the test infrastructure');
      await infra.stop();
    }
  }
}
