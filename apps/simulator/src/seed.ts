import { randomBytes } from 'node:crypto';
import type { SimOrder } from '@pt/upstream';
import { Upstream } from '@pt/upstream';
import { stableUuid } from '@pt/upstream';

export const MERCHANTS = [
  { id: stableUuid('merchant:north-star-games'), name: 'North Star Games' },
  { id: stableUuid('merchant:blue-river-telecom'), name: 'Blue River Telecom' },
  { id: stableUuid('merchant:lotus-software'), name: 'Lotus Software' },
];

export const SKUS = [
  { sku: 'GAME-60', merchantId: MERCHANTS[0].id, amountMinor: '600', stock: 20 },
  { sku: 'PHONE-100', merchantId: MERCHANTS[1].id, amountMinor: '10000', stock: 20 },
  { sku: 'VIP-1M', merchantId: MERCHANTS[2].id, amountMinor: '2500', stock: 20 },
];

export interface SeededOrder {
  order: SimOrder;
  story: string;
  paymentReference: string;
  channel: string;
}

/** A handful of orders, each in a state that exercises a different row of the triage table. */
export function demoOrders(now: Date): SeededOrder[] {
  const at = new Date(now.getTime() - 20 * 60_000);
  const order = (n: number, skuIndex: number, account: string, phone: string, quantity = 1): SimOrder => ({
    orderNumber: `DEMO-${n}`,
    accountId: account,
    phoneLast4: phone,
    merchantId: SKUS[skuIndex].merchantId,
    sku: SKUS[skuIndex].sku,
    quantity,
    amountMinor: String(BigInt(SKUS[skuIndex].amountMinor) * BigInt(quantity)),
    currency: 'CNY',
    placedAt: at,
  });
  return [
    { order: order(1001, 0, 'acct-alice', '1234'), story: 'paid and delivered', paymentReference: 'PAY-DEMO-1001', channel: 'alipay' },
    {
      order: order(1002, 0, 'acct-bob', '2345'),
      story: 'payment callback lost, bank says CLEARED (a report gets a re-issue)',
      paymentReference: 'PAY-DEMO-1002',
      channel: 'wechat',
    },
    { order: order(1003, 1, 'acct-carol', '3456'), story: 'paid, still clearing at the bank', paymentReference: 'PAY-DEMO-1003', channel: 'unionpay' },
    { order: order(1004, 1, 'acct-dave', '4567'), story: 'clearing FAILED', paymentReference: 'PAY-DEMO-1004', channel: 'unionpay' },
    { order: order(1005, 2, 'acct-erin', '5678'), story: 'cleared a different amount', paymentReference: 'PAY-DEMO-1005', channel: 'alipay' },
    { order: order(1006, 2, 'acct-frank', '6789'), story: 'paid twice, both cleared', paymentReference: 'PAY-DEMO-1006', channel: 'wechat' },
    {
      order: order(1007, 0, 'acct-grace', '7890', 3),
      story: '3 units paid, the shop delivered 1 key (a report gets the 2 missing, lines 2 and 3)',
      paymentReference: 'PAY-DEMO-1007',
      channel: 'alipay',
    },
  ];
}

/** Publishes the upstream events of the demo orders (idempotent: stable event ids). */
export async function publishDemoOrders(upstream: Upstream, orders: SeededOrder[]): Promise<void> {
  for (const { order, paymentReference: ref, channel } of orders) {
    await upstream.orderPlaced(order);
    switch (order.orderNumber) {
      case 'DEMO-1001':
        await upstream.paymentRecorded(order, ref, channel);
        await upstream.clearing(order, ref, channel, 'CLEARING', 1);
        await upstream.clearing(order, ref, channel, 'CLEARED', 2);
        await upstream.delivered(order, `SHOP-KEY-${order.orderNumber}`);
        break;
      case 'DEMO-1002':
        await upstream.clearing(order, ref, channel, 'CLEARED', 1);
        break;
      case 'DEMO-1003':
        await upstream.paymentRecorded(order, ref, channel);
        await upstream.clearing(order, ref, channel, 'CLEARING', 1);
        break;
      case 'DEMO-1004':
        await upstream.paymentRecorded(order, ref, channel);
        await upstream.clearing(order, ref, channel, 'FAILED', 1, { failureCode: 'CARD_DECLINED' });
        break;
      case 'DEMO-1005':
        await upstream.paymentRecorded(order, ref, channel, '2400');
        await upstream.clearing(order, ref, channel, 'CLEARED', 1, { amountMinor: '2400' });
        break;
      case 'DEMO-1006':
        await upstream.paymentRecorded(order, ref, channel);
        await upstream.clearing(order, ref, channel, 'CLEARED', 1);
        await upstream.clearing(order, `${ref}-B`, channel, 'CLEARED', 1);
        break;
      case 'DEMO-1007':
        await upstream.paymentRecorded(order, ref, channel);
        await upstream.clearing(order, ref, channel, 'CLEARED', 1);
        await upstream.delivered(order, `SHOP-KEY-${order.orderNumber}-1`);
        break;
    }
  }
}

/** Random demo card keys; the secrets exist only in the vault, sealed. */
export function demoCardKeys(sku: string, count: number): { sku: string; secret: string }[] {
  return Array.from({ length: count }, () => ({
    sku,
    secret: randomBytes(12)
      .toString('base64url')
      .toUpperCase()
      .replace(/(.{4})(?=.)/g, '$1-'),
  }));
}

/** Tops each demo SKU up to its stock level through reconciliation's admin API. */
export async function topUpStock(reconciliationUrl: string, adminToken: string): Promise<Record<string, number>> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const res = await fetch(`${reconciliationUrl}/v1/admin/card-keys/stock`, { headers });
  if (!res.ok) throw new Error(`stock query failed: HTTP ${res.status}`);
  const stock = (await res.json()) as { sku: string; available: number }[];
  const imported: Record<string, number> = {};
  for (const { sku, stock: target } of SKUS) {
    const have = stock.find((s) => s.sku === sku)?.available ?? 0;
    if (have >= target) continue;
    const put = await fetch(`${reconciliationUrl}/v1/admin/card-keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ keys: demoCardKeys(sku, target - have) }),
    });
    if (!put.ok) throw new Error(`card-key import for ${sku} failed: HTTP ${put.status} ${await put.text()}`);
    imported[sku] = ((await put.json()) as { imported: number }).imported;
  }
  return imported;
}

/** Demo settlement batches: some payments paid out, one payout failed on the merchant's account. */
export async function publishDemoSettlements(upstream: Upstream, now: Date): Promise<void> {
  const paidAt = new Date(now.getTime() - 5 * 60_000);
  await upstream.settlementBatchPaid({
    batchId: 'DEMO-BATCH-NS-1',
    merchantId: MERCHANTS[0].id,
    payments: [{ paymentReference: 'PAY-DEMO-1001', amountMinor: '600' }],
    currency: 'CNY',
    feeMinor: '4',
    destinationAccountMasked: '****6789',
    paidAt,
  });
  await upstream.settlementBatchPaid({
    batchId: 'DEMO-BATCH-LS-1',
    merchantId: MERCHANTS[2].id,
    payments: [
      { paymentReference: 'PAY-DEMO-1006', amountMinor: '2500' },
      { paymentReference: 'PAY-DEMO-1006-B', amountMinor: '2500' },
    ],
    currency: 'CNY',
    feeMinor: '30',
    destinationAccountMasked: '****2048',
    paidAt,
  });
  await upstream.settlementBatchFailed({
    batchId: 'DEMO-BATCH-LS-2',
    merchantId: MERCHANTS[2].id,
    payments: [{ paymentReference: 'PAY-DEMO-1005', amountMinor: '2400' }],
    failureCode: 'MERCHANT_ACCOUNT_INVALID',
    failedAt: paidAt,
  });
}

/** Registers the demo merchants with settlement (repeatable: same id and name answer 200). */
export async function registerMerchants(settlementUrl: string, adminToken: string): Promise<void> {
  for (const merchant of MERCHANTS) {
    const res = await fetch(`${settlementUrl}/v1/admin/merchants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(merchant),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`registering merchant ${merchant.name} failed: HTTP ${res.status} ${await res.text()}`);
  }
}

/**
 * Issues the demo API key of the first merchant. A key's secret cannot be read back, so
 * each run rotates the previous demo key (the old one stops working) or creates the first.
 */
export async function issueDemoApiKey(settlementUrl: string, adminToken: string): Promise<{ merchantId: string; merchantName: string; key: string }> {
  const merchant = MERCHANTS[0];
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const keysUrl = `${settlementUrl}/v1/admin/merchants/${merchant.id}/api-keys`;
  const listed = await fetch(keysUrl, { headers });
  if (!listed.ok) throw new Error(`listing the demo merchant's API keys failed: HTTP ${listed.status}`);
  const keys = ((await listed.json()) as { data: { id: string; label: string | null; status: string }[] }).data;
  const previous = keys.find((k) => k.label === 'demo' && k.status === 'ACTIVE');
  const res = previous
    ? await fetch(`${keysUrl}/${previous.id}/rotate`, { method: 'POST', headers, body: '{}' })
    : await fetch(keysUrl, { method: 'POST', headers, body: JSON.stringify({ label: 'demo' }) });
  if (res.status !== 201) throw new Error(`issuing the demo API key failed: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { key?: string; apiKey?: { key: string } };
  return { merchantId: merchant.id, merchantName: merchant.name, key: body.apiKey?.key ?? body.key! };
}
