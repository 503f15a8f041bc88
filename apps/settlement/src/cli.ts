import 'reflect-metadata';
import os from 'node:os';
import { openServiceDataSource, serviceDataSourceOptions } from '@pt/database';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { MerchantsRepository } from './merchants/merchants.repository.js';
import { MerchantsService } from './merchants/merchants.service.js';
import { SETTLEMENT_MIGRATIONS } from './migrations/index.js';
import { openApiDocument, openApiText } from '@pt/platform';
import { settlementService } from './settlement.module.js';

const USAGE = `usage: node dist/apps/settlement/src/cli.js <command> [options]

  create-key --merchant <id|name> [--label <text>]
      Issues an API key for a merchant and prints it on stdout, once. Only its hash is kept.
  create-merchant --name <name> [--id <uuid>]
      Creates a merchant (the same id and name again is accepted and changes nothing).
  openapi
      Prints the OpenAPI document the service serves at GET /openapi.json, generated from
      its controllers without a database or broker (npm run openapi writes all three).

create-key and create-merchant read DATABASE_URL.`;

async function withMerchants<T>(work: (service: MerchantsService) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (postgres://user:password@host:port/database)');
  const dataSource: DataSource = await openServiceDataSource(
    serviceDataSourceOptions({ url, schema: 'settlement', entities: [], migrations: SETTLEMENT_MIGRATIONS, poolSize: 2, applicationName: 'settlement-cli' }),
  );
  try {
    return await work(new MerchantsService(new MerchantsRepository(dataSource)));
  } finally {
    await dataSource.destroy();
  }
}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (!value) throw new Error(`--${name} is required\n\n${USAGE}`);
  return value;
}

/** The CLI acts with database access, not an admin credential: its actions are audited under the OS user. */
const CLI_OPERATOR = `cli:${os.userInfo().username}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { merchant: { type: 'string' }, label: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } },
    strict: true,
  });
  switch (command) {
    case 'create-key': {
      const idOrName = required(values, 'merchant');
      const created = await withMerchants(async (service) => {
        const merchant = await service.resolveMerchant(idOrName);
        return { merchant, key: await service.createApiKey(CLI_OPERATOR, merchant.id, values.label ?? 'cli') };
      });
      process.stderr.write(`API key ${created.key.id} (${created.key.prefix}…) for ${created.merchant.name} (${created.merchant.id}).\n`);
      process.stderr.write('Store it now: it is shown only once and cannot be recovered.\n');
      process.stdout.write(`${created.key.key}\n`);
      return 0;
    }
    case 'create-merchant': {
      const name = required(values, 'name');
      if (values.id && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.id)) throw new Error('--id must be a UUID');
      const { merchant, created } = await withMerchants((service) => service.createMerchant(CLI_OPERATOR, { name, ...(values.id ? { id: values.id } : {}) }));
      process.stdout.write(`${JSON.stringify({ ...merchant, created })}\n`);
      return 0;
    }
    case 'openapi':
      process.stdout.write(openApiText(await openApiDocument(settlementService)));
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`unknown command ${command}\n\n${USAGE}\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`settlement: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
