import 'reflect-metadata';
import { loadKafkaSecurity } from '@pt/config';
import { EventPublisher, createKafkaClient } from '@pt/kafka';
import { UsageError, parseCommandLine, withUsage } from '@pt/config';
import { JsonLogger } from '@pt/observability';
import { MERCHANTS, demoOrders, issueDemoApiKey, publishDemoOrders, publishDemoSettlements, registerMerchants, topUpStock } from './seed.js';
import { Upstream } from '@pt/upstream';

const USAGE = `usage: simulator seed
  Publishes the demo shop's orders, the bank's clearing events and the payer's settlement
  batches to Kafka, tops up card-key stock, registers the demo merchants with settlement and
  issues a demo API key for the first one (rotating the previous demo key).
  Reads KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_SSL* and KAFKA_SASL* (as the services do),
  RECONCILIATION_URL, SETTLEMENT_URL, ADMIN_TOKEN.`;

async function seed(): Promise<number> {
  const brokers = process.env.KAFKA_BROKERS;
  const reconciliationUrl = process.env.RECONCILIATION_URL ?? 'http://127.0.0.1:3001';
  const settlementUrl = process.env.SETTLEMENT_URL ?? 'http://127.0.0.1:3002';
  const adminToken = process.env.ADMIN_TOKEN;
  const missing = [!brokers && 'KAFKA_BROKERS', !adminToken && 'ADMIN_TOKEN'].filter(Boolean);
  if (missing.length > 0) throw new Error(`missing environment: ${missing.join(', ')}`);
  const logger = new JsonLogger('simulator', 'warn');
  const kafka = createKafkaClient({ brokers: brokers!.split(','), clientId: 'simulator', security: loadKafkaSecurity(process.env), logger });
  const publisher = new EventPublisher(kafka, process.env.KAFKA_TOPIC_PREFIX ?? '');
  await publisher.connect();
  try {
    const now = new Date();
    const orders = demoOrders(now);
    await registerMerchants(settlementUrl, adminToken!);
    const upstream = new Upstream(publisher);
    await publishDemoOrders(upstream, orders);
    await publishDemoSettlements(upstream, now);
    const imported = await topUpStock(reconciliationUrl, adminToken!);
    const merchantApiKey = await issueDemoApiKey(settlementUrl, adminToken!);
    process.stdout.write(
      `${JSON.stringify({
        merchants: MERCHANTS,
        orders: orders.map((o) => ({
          orderNumber: o.order.orderNumber,
          accountId: o.order.accountId,
          amountMinor: o.order.amountMinor,
          currency: o.order.currency,
          channel: o.channel,
          paymentReference: o.paymentReference,
          story: o.story,
        })),
        cardKeysImported: imported,
        merchantApiKey,
      })}\n`,
    );
    process.stderr.write(
      `simulator: published ${orders.length} demo orders with their clearing events and the settlement batches, registered ${MERCHANTS.length} merchants, ` +
        `topped up card-key stock and issued a demo API key for ${merchantApiKey.merchantName} (the previous demo key is revoked)\n`,
    );
    return 0;
  } finally {
    await publisher.disconnect();
  }
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === undefined) throw new UsageError('a command is required');
  if (command !== 'seed') throw new UsageError(`unknown command ${command}`);
  parseCommandLine(rest, {});
  return seed();
}

process.exitCode = await withUsage('simulator', USAGE, main).catch((error: Error) => {
  process.stderr.write(`simulator: ${error.message}\n`);
  return 1;
});
