import 'reflect-metadata';
import { UsageError, loadConfig, parseCommandLine, positiveNumberOption, requiredOption, withUsage } from '@pt/config';
import { InboxEntity, OutboxEntity, openServiceDataSource, serviceDataSourceOptions } from '@pt/database';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BulkReconciliationService,
  RunInProgressError,
  RunRequestError,
  type RunObserver,
  type RunRequest,
} from './bulk-reconciliation/bulk-reconciliation.service.js';
import { ReconRunRepository } from './bulk-reconciliation/recon-run.repository.js';
import type { RunView } from './bulk-reconciliation/recon-run.view.js';
import { reconSettingsFrom } from './bulk-reconciliation/recon-settings.js';
import type { ImportCounts } from './bulk-reconciliation/statement-encoder.js';
import { ClearingRepository } from './clearing/clearing.repository.js';
import { ClearingService } from './clearing/clearing.service.js';
import { ReconciliationConfig } from './config/reconciliation.config.js';
import { RECONCILIATION_MIGRATIONS } from './migrations/index.js';
import { TriageIncidents } from './triage/triage-incidents.js';
import { TriageRepository } from './triage/triage.repository.js';

const USAGE = `usage: npm run recon -- <command>
  run --channel <channel> --date <YYYY-MM-DD> --file <statement.csv> [--dry-run]
        reconcile a channel's clearing statement file against the ledger
  run --channel <channel> --from <YYYY-MM-DD> [--to <YYYY-MM-DD>] [--dry-run]
        reconcile what clearing.events.v1 delivered for those days, without a file
  show <run-id> [--discrepancies <n>]
        a run's status and summary, and its first discrepancies
  formats
        the statement format of each channel
Exit status: 0 the run succeeded, 1 it failed or the file was refused, 2 usage, 3 another
run holds the channel's day. Reads DATABASE_URL and the RECON_* settings; without
DATABASE_URL it uses the database of a local \`npm start\`. Incidents a run opens are
written to reconciliation's outbox; the reconciliation service publishes them.`;

function environment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (!env.DATABASE_URL && fs.existsSync(path.join(process.cwd(), '.data', 'demo-secrets.json'))) {
    env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT ?? 54329}/payment_triage`;
    process.stderr.write('recon: DATABASE_URL is not set; using the local `npm start` database\n');
  }
  // The command line talks to the database only: Kafka, the vault, admin credentials, buyer and agent tokens do not concern it.
  return {
    KAFKA_BROKERS: 'unused:9092',
    ADMIN_TOKENS: 'cli:unused-by-the-recon-command-line',
    BUYER_TOKEN_SECRET: 'unused-by-the-recon-command-line-either',
    VAULT_KEY: randomBytes(32).toString('base64'),
    AGENT_TOKEN_PUBLIC_KEY: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ...env,
    AGENT_TOKEN_PRIVATE_KEY: undefined,
  };
}

type Invocation =
  | { command: 'formats' }
  | { command: 'show'; runId: string; discrepancies: number }
  | { command: 'run'; channel: string; file: string | null; start: string; end: string; dryRun: boolean };

/** Reads the command line before anything is opened, so a mistyped option changes nothing. */
function invocation(command: string, args: string[]): Invocation {
  switch (command) {
    case 'formats':
      parseCommandLine(args, {});
      return { command };
    case 'show': {
      const { values, positionals } = parseCommandLine(args, { discrepancies: { type: 'string' } }, 1);
      const runId = positionals[0];
      if (!runId) throw new UsageError('show needs a run id');
      return {
        command,
        runId,
        discrepancies: values.discrepancies === undefined ? 20 : Math.floor(positiveNumberOption(values.discrepancies, 'discrepancies')),
      };
    }
    default: {
      const { values } = parseCommandLine(args, {
        channel: { type: 'string' },
        date: { type: 'string' },
        file: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'dry-run': { type: 'boolean' },
      });
      const channel = requiredOption(values, 'channel');
      const dryRun = values['dry-run'] === true;
      if (values.file !== undefined) {
        const file = requiredOption(values, 'file');
        if (values.from !== undefined || values.to !== undefined)
          throw new UsageError('--from and --to are for a run over the clearing mirror; a statement file covers one --date');
        const date = requiredOption(values, 'date');
        return { command: 'run', channel, file, start: date, end: date, dryRun };
      }
      if (values.from !== undefined && values.date !== undefined) throw new UsageError('give --from (and --to) or --date, not both');
      const start = values.from ?? values.date;
      if (start === undefined) throw new UsageError('--file with --date, or --from, is required');
      return { command: 'run', channel, file: null, start, end: values.to ?? start, dryRun };
    }
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** A progress bar on a terminal, plain progress lines otherwise (logs, cron mail). */
function progressReporter(totalBytes: number | null): RunObserver & { done: () => void } {
  const tty = Boolean(process.stderr.isTTY);
  let lastDraw = 0;
  let lastLine = 0;
  let drawn = false;
  const draw = (c: ImportCounts) => {
    const now = Date.now();
    const fraction = totalBytes ? Math.min(c.bytesRead / totalBytes, 1) : null;
    if (tty) {
      if (now - lastDraw < 100 && fraction !== 1) return;
      lastDraw = now;
      const width = 30;
      const filled = fraction === null ? 0 : Math.round(fraction * width);
      const bar = fraction === null ? '' : `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      process.stderr.write(`\r${bar}${fmt(c.rowsRead)} rows, ${fmt(c.rowsRejected)} rejected   `);
      drawn = true;
    } else if (now - lastLine >= 5000) {
      lastLine = now;
      process.stderr.write(
        `progress: ${fmt(c.rowsRead)} rows read, ${fmt(c.rowsRejected)} rejected${fraction === null ? '' : `, ${(fraction * 100).toFixed(0)}% of the file`}\n`,
      );
    }
  };
  const endLine = () => {
    if (drawn) process.stderr.write('\n');
    drawn = false;
  };
  return {
    onStarted: (runId) => process.stderr.write(`run ${runId} started\n`),
    onImportProgress: draw,
    onPhase: (phase) => {
      endLine();
      process.stderr.write(`${phase.toLowerCase().replace('_', ' ')}...\n`);
    },
    done: endLine,
  };
}

function printRun(run: RunView): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`run ${run.id}: ${run.status}`);
  out(
    `  ${run.channel} ${run.periodStart}${run.periodEnd === run.periodStart ? '' : `..${run.periodEnd}`}, ${run.source === 'FILE' ? `statement file (${run.format})` : 'clearing mirror'}${run.dryRun ? ', dry run: nothing was changed' : ''}`,
  );
  out(`  rows read ${fmt(run.progress.rowsRead)}, rejected ${fmt(run.progress.rowsRejected)}, loaded ${fmt(run.progress.rowsLoaded)}`);
  for (const [reason, n] of Object.entries(run.rejections.byReason)) out(`    ${reason}: ${fmt(n)}`);
  for (const r of run.rejections.first.slice(0, 10)) out(`    line ${r.line}: ${r.message}`);
  if (run.error) out(`  ${run.error}`);
  const s = run.summary;
  if (!s) return;
  out(`  matched ${fmt(s.matched)} of ${fmt(s.statementRows)} statement rows in ${(s.durationMs / 1000).toFixed(1)} s (${fmt(s.rowsPerSecond)} rows/s)`);
  for (const [category, n] of Object.entries(s.byCategory)) out(`  ${category.padEnd(21)} ${fmt(n)}`);
  const i = s.incidents;
  out(`  incidents: ${i.opened} opened, ${i.alreadyOpen} already open${run.dryRun ? `, ${i.wouldOpen} would be opened` : ''} (cap ${i.cap})`);
  if (i.systemicIncidentId || i.heldInSystemicIncident > 0) {
    out(
      `  over the cap: ${fmt(i.heldInSystemicIncident)} orders ${run.dryRun ? 'would go' : 'went'} into one systemic incident${i.systemicIncidentId ? ` ${i.systemicIncidentId}` : ''}`,
    );
  }
}

/** What a successful run left behind, in one line. */
function printChanges(run: RunView): void {
  const incidents = run.summary?.incidents;
  const opened = incidents
    ? `${incidents.opened} incident(s) opened${incidents.systemicIncidentId ? `, systemic incident ${incidents.systemicIncidentId} raised` : ''}`
    : 'no incidents opened';
  process.stdout.write(`changed: run ${run.id} and its discrepancies recorded; ${opened} (in the outbox, for the service to publish)\n`);
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'run' && command !== 'show' && command !== 'formats') throw new UsageError(`unknown command ${command}`);
  const args = invocation(command, rest);
  const config = loadConfig(ReconciliationConfig, environment());
  const dataSource = await openServiceDataSource(
    serviceDataSourceOptions({
      url: config.DATABASE_URL,
      schema: 'reconciliation',
      entities: [OutboxEntity, InboxEntity],
      migrations: RECONCILIATION_MIGRATIONS,
      poolSize: 3,
      applicationName: 'recon-cli',
    }),
  );
  const runs = new ReconRunRepository(dataSource);
  const service = new BulkReconciliationService(
    runs,
    reconSettingsFrom(config),
    {
      log: (level, fields) => {
        if (level === 'warn')
          process.stderr.write(
            `recon: ${String(fields.msg)}${fields.err ? `: ${fields.err instanceof Error ? fields.err.message : JSON.stringify(fields.err)}` : ''}\n`,
          );
      },
      nudge: () => undefined,
    },
    new ClearingService(new ClearingRepository(dataSource)),
    new TriageIncidents(new TriageRepository(dataSource)),
  );
  try {
    if (args.command === 'formats') {
      for (const f of service.formats()) {
        process.stdout.write(
          `${f.channel}: ${f.name}, columns ${Object.entries(f.columns)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}, amounts in ${f.amountUnit} units, times at ${f.timeZone}\n`,
        );
      }
      return 0;
    }
    if (args.command === 'show') {
      const id = args.runId;
      const run = await runs.findRun(id);
      if (!run) throw new RunRequestError('run-id', `no run ${id}`);
      printRun(run);
      for (const d of await runs.discrepancies(id, { limit: args.discrepancies, after: 0 })) {
        process.stdout.write(
          `  #${d.seq} ${d.category}/${d.finding} ${d.paymentReference} order ${d.orderNumber ?? '-'}${d.line ? ` line ${d.line}` : ''} ${d.action}${d.incidentId ? ` ${d.incidentId}` : ''}\n`,
        );
      }
      return 0;
    }
    const { file } = args;
    const request: RunRequest = {
      channel: args.channel,
      periodStart: args.start,
      periodEnd: args.end,
      dryRun: args.dryRun,
      requestedBy: 'CLI',
      correlationId: `cli-${crypto.randomUUID()}`,
    };
    let run: RunView;
    if (file) {
      if (!fs.existsSync(file)) throw new RunRequestError('file', `no such file: ${file}`);
      const progress = progressReporter(fs.statSync(file).size);
      run = await service.runStatement(request, fs.createReadStream(file, { highWaterMark: 256 * 1024 }), progress);
      progress.done();
    } else {
      const progress = progressReporter(null);
      const started = await service.startMirrorRun(request, progress);
      run = await started.done;
      progress.done();
    }
    printRun(run);
    if (run.status === 'SUCCEEDED' && !run.dryRun) printChanges(run);
    return run.status === 'SUCCEEDED' ? 0 : 1;
  } catch (error) {
    if (error instanceof RunInProgressError) {
      process.stderr.write(`recon: ${error.message}\n`);
      return 3;
    }
    if (error instanceof RunRequestError) {
      process.stderr.write(`recon: ${error.field}: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await dataSource.destroy();
  }
}

process.exit(
  await withUsage('recon', USAGE, main).catch((error: Error) => {
    process.stderr.write(`recon: ${error.message}\n`);
    return 1;
  }),
);
