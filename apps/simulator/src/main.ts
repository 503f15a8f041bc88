import 'reflect-metadata';
import { EventPublisher, createKafkaClient } from '@pt/kafka';
import { JsonLogger } from '@pt/observability';
import { MERCHANTS, demoOrders, publishDemoOrders, topUpStock } from './seed.js';
import { Upstream } from '@pt/upstream';

const USAGE = `usage: simulator seed
  Publishes the demo shop's orders and the bank's clearing events to Kafka and tops up
  card-key stock. Reads KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, RECONCILIATION_URL, ADMIN_TOKEN.`;

async function seed(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  const reconciliationUrl = process.env.RECONCILIATION_URL ?? 'http://127.0.0.1:3001';
  const adminToken = process.env.ADMIN_TOKEN;
  const missing = [!brokers && 'KAFKA_BROKERS', !adminToken && 'ADMIN_TOKEN'].filter(Boolean);
  if (missing.length > 0) throw new Error(`missing environment: ${missing.join(', ')}`);
  const logger = new JsonLogger('simulator', 'warn');
  const publisher = new EventPublisher(createKafkaClient(brokers!.split(','), 'simulator', logger), process.env.KAFKA_TOPIC_PREFIX ?? '');
  await publisher.connect();
  try {
    const orders = demoOrders(new Date());
    await publishDemoOrders(new Upstream(publisher), orders);
    const imported = await topUpStock(reconciliationUrl, adminToken!);
    process.stdout.write(
      `${JSON.stringify({
        merchants: MERCHANTS,
        orders: orders.map((o) => ({ orderNumber: o.order.orderNumber, accountId: o.order.accountId, amountMinor: o.order.amountMinor, currency: o.order.currency, channel: o.channel, paymentReference: o.paymentReference, story: o.story })),
        cardKeysImported: imported,
      })}\n`,
    );
  } finally {
    await publisher.disconnect();
  }
}

const command = process.argv[2];
if (command === 'seed') {
  await seed().catch((error: Error) => {
    process.stderr.write(`simulator: ${error.message}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write(`${USAGE}\n`);
  process.exit(command ? 2 : 0);
}
