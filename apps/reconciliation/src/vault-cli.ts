import 'reflect-metadata';
import { UsageError, loadConfig, parseCommandLine, withUsage } from '@pt/config';
import { openServiceDataSource, serviceDataSourceOptions } from '@pt/database';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReconciliationConfig } from './config/reconciliation.config.js';
import { LedgerRepository } from './ledger/ledger.repository.js';
import { LedgerService } from './ledger/ledger.service.js';
import { RECONCILIATION_MIGRATIONS } from './migrations/index.js';
import { ImportFormatError, parseCardKeyCsv, parseCardKeyJson } from './vault/card-key-file.parser.js';
import { IncidentOrders } from './vault/incident-orders.js';
import { VaultRepository } from './vault/vault.repository.js';
import { ImportRejectedError, VaultService } from './vault/vault.service.js';

const USAGE = `usage: npm run vault -- <command>
  import <file.csv|file.json>   import card keys (CSV header: sku,secret[,expiresAt]); all or nothing
  rotate                        re-seal every secret with the active VAULT_KEY / VAULT_KEY_ID
Reads DATABASE_URL, VAULT_KEY, VAULT_KEY_ID and VAULT_PREVIOUS_KEYS; without DATABASE_URL it
uses the database and demo key of a local \`npm start\`.`;

function environment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (!env.DATABASE_URL) {
    const secrets = path.join(process.cwd(), '.data', 'demo-secrets.json');
    if (fs.existsSync(secrets)) {
      const demo = JSON.parse(fs.readFileSync(secrets, 'utf8')) as { vaultKey: string };
      env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT ?? 54329}/payment_triage`;
      env.VAULT_KEY ??= demo.vaultKey;
      process.stderr.write('vault: DATABASE_URL is not set; using the local `npm start` database and demo key\n');
    }
  }
  // The CLI talks to the database only: Kafka, admin credentials, buyer and agent tokens do not concern it.
  return {
    KAFKA_BROKERS: 'unused:9092',
    ADMIN_TOKENS: 'cli:unused-by-the-vault-command-line',
    BUYER_TOKEN_SECRET: 'unused-by-the-vault-command-line-either',
    AGENT_TOKEN_PUBLIC_KEY: unusedPublicKey(),
    ...env,
    AGENT_TOKEN_PRIVATE_KEY: undefined,
  };
}

function unusedPublicKey(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'import' && command !== 'rotate') throw new UsageError(`unknown command ${command}`);
  // Neither command takes an option: a flag such as --dry-run must not be read as "go ahead".
  const { positionals } = parseCommandLine(rest, {}, command === 'import' ? 1 : 0);
  const file = positionals[0] ?? '';
  if (command === 'import' && file === '') throw new UsageError('import needs a file: npm run vault -- import keys.csv');
  const config = loadConfig(ReconciliationConfig, environment());
  const dataSource = await openServiceDataSource(
    serviceDataSourceOptions({
      url: config.DATABASE_URL,
      schema: 'reconciliation',
      entities: [],
      migrations: RECONCILIATION_MIGRATIONS,
      poolSize: 2,
      applicationName: 'vault-cli',
    }),
  );
  // Imports and rotation touch the vault's own tables only; no incident is ever looked up here.
  const vault = new VaultService(new VaultRepository(dataSource), new LedgerService(new LedgerRepository()), new IncidentOrders(), config);
  try {
    if (command === 'import') {
      const text = fs.readFileSync(file, 'utf8');
      let rows;
      if (file.endsWith('.json')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          // The parser's message quotes the file, which holds secrets.
          throw new ImportFormatError(1, 'the file is not valid JSON');
        }
        rows = parseCardKeyJson(parsed);
      } else {
        rows = parseCardKeyCsv(text);
      }
      const report = await vault.import(rows, { type: 'SYSTEM', id: `vault-cli:${os.userInfo().username}` });
      process.stdout.write(`imported ${report.imported} card key(s) from ${file}\n`);
      for (const d of report.duplicatesInFile) process.stdout.write(`  line ${d.line}: duplicate of line ${d.firstSeenOnLine} (skipped)\n`);
      for (const d of report.duplicatesInStock) process.stdout.write(`  line ${d.line}: already in stock (skipped)\n`);
    } else {
      const total = await vault.rotate((done, remaining) => process.stdout.write(`re-sealed ${done}, ${remaining} remaining\n`));
      process.stdout.write(`rotation done: ${total} secret(s) now sealed with key ${config.VAULT_KEY_ID}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportRejectedError) {
      process.stderr.write(`import rejected, nothing was imported:\n${error.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}\n`);
    } else if (error instanceof ImportFormatError) {
      process.stderr.write(`import rejected, nothing was imported: ${error.message}\n`);
    } else {
      process.stderr.write(`vault: ${(error as Error).message}\n`);
    }
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

process.exit(
  await withUsage('vault', USAGE, main).catch((error: Error) => {
    process.stderr.write(`vault: ${error.message}\n`);
    return 1;
  }),
);
