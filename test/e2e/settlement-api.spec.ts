import { serviceEntry } from '@pt/dev-stack';
import { Upstream, startSuite, waitFor, type SimOrder, type Suite } from '@pt/testing';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SettlementClient } from './support/settlement-client.js';

/**
 * The merchant settlement API over HTTP, against the real database and broker: keys,
 * tenant isolation, pagination, summary, export, validation, rate limiting, OpenAPI.
 */
describe('merchant settlement API', () => {
  let suite: Suite;
  let upstream: Upstream;
  let client: SettlementClient;
  const tag = crypto.randomUUID().slice(0, 6).toUpperCase();
  /** Every key secret this file saw; none may ever reach a log line. */
  const secrets: string[] = [];

  let merchantA: { id: string; name: string };
  let merchantB: { id: string; name: string };
  let pager: { id: string; name: string };
  let bulk: { id: string; name: string };
  let keyBulk: string;
  let keyA: string;
  let keyB: string;
  let keyPager: string;

  const simOrder = (merchantId: string, orderNumber: string, amountMinor: string, currency = 'CNY'): SimOrder => ({
    orderNumber,
    accountId: 'acct-api',
    phoneLast4: '1234',
    merchantId,
    sku: 'SKU-API',
    amountMinor,
    currency,
    placedAt: new Date('2026-11-10T00:00:00Z'),
  });

  // The pager merchant's payments: reference suffix, first sighting, currency, amount, how it ends.
  const PAGER = [
    { n: 1, at: '2026-11-10T01:00:00Z', currency: 'CNY', amount: '100', end: 'CLEARING' },
    { n: 2, at: '2026-11-10T02:00:00Z', currency: 'CNY', amount: '200', end: 'SETTLED' },
    { n: 3, at: '2026-11-10T03:00:00Z', currency: 'CNY', amount: '300', end: 'SETTLED' },
    { n: 4, at: '2026-11-10T03:00:00Z', currency: 'USD', amount: '500', end: 'FAILED' },
    { n: 5, at: '2026-11-10T23:59:59.999Z', currency: 'CNY', amount: '50', end: 'CLEARING' },
    { n: 6, at: '2026-11-11T00:00:00Z', currency: 'CNY', amount: '700', end: 'REVERSED' },
    { n: 7, at: '2026-11-09T12:00:00Z', currency: 'CNY', amount: '900', end: 'CLEARING' },
  ] as const;
  const pref = (n: number) => `${tag}-P-${n}`;
  /** Newest first; the tie at 03:00 is broken by reference, descending. */
  const NEWEST_FIRST = [6, 5, 4, 3, 2, 1, 7].map(pref);

  /** One settlement batch of 520 payments, all paid at the same instant. */
  const BULK = Array.from({ length: 520 }, (_, i) => `${tag}-BULK-${String(i + 1).padStart(4, '0')}`);
  const refA = `${tag}-A-1`;
  const refB = `${tag}-B-1`;
  const orderA = `ORD-${tag}-A`;
  const orderB = `ORD-${tag}-B`;

  beforeAll(async () => {
    suite = await startSuite('settlement-api', ['settlement']);
    upstream = new Upstream(suite.publisher);
    client = new SettlementClient(suite);
    merchantA = await client.createMerchant(`Merchant A ${tag}`);
    merchantB = await client.createMerchant(`Merchant B ${tag}`);
    pager = await client.createMerchant(`Pager ${tag}`);
    keyA = (await client.createKey(merchantA.id, 'primary')).key;
    keyB = (await client.createKey(merchantB.id)).key;
    keyPager = (await client.createKey(pager.id)).key;
    bulk = await client.createMerchant(`Bulk ${tag}`);
    keyBulk = (await client.createKey(bulk.id)).key;
    secrets.push(keyA, keyB, keyPager, keyBulk);
    await upstream.settlementBatchPaid({
      batchId: `BULK-${tag}`,
      merchantId: bulk.id,
      payments: BULK.map((paymentReference) => ({ paymentReference, amountMinor: '1' })),
      currency: 'CNY',
      paidAt: new Date('2026-11-13T02:00:00Z'),
    });

    await upstream.clearing(simOrder(merchantA.id, orderA, '600'), refA, 'alipay', 'CLEARED', 1, { at: new Date('2026-11-12T09:00:00Z') });
    await upstream.clearing(simOrder(merchantB.id, orderB, '800'), refB, 'wechat', 'CLEARED', 1, { at: new Date('2026-11-12T09:00:00Z') });
    for (const p of PAGER) {
      const o = simOrder(pager.id, `ORD-${pref(p.n)}`, p.amount, p.currency);
      const at = new Date(p.at);
      if (p.end === 'FAILED') await upstream.clearing(o, pref(p.n), 'alipay', 'FAILED', 1, { at, failureCode: 'INSUFFICIENT_FUNDS' });
      else await upstream.clearing(o, pref(p.n), 'alipay', 'CLEARED', 1, { at });
      if (p.end === 'REVERSED') await upstream.clearing(o, pref(p.n), 'alipay', 'REVERSED', 2, { at: new Date('2026-11-12T00:00:00Z') });
    }
    await upstream.settlementBatchPaid({
      batchId: `B-${tag}`,
      merchantId: pager.id,
      payments: [
        { paymentReference: pref(2), amountMinor: '200' },
        { paymentReference: pref(3), amountMinor: '300' },
      ],
      currency: 'CNY',
      paidAt: new Date('2026-11-11T02:00:00Z'),
    });
    await waitFor('every payment to be in the read model with its final status', async () => {
      const { rows } = await suite.db.query(
        `SELECT count(*) FILTER (WHERE merchant_id = $1)::int AS pager,
                count(*) FILTER (WHERE merchant_id = $1 AND status = 'SETTLED')::int AS settled,
                count(*) FILTER (WHERE merchant_id = $1 AND status = 'REVERSED')::int AS reversed,
                count(*) FILTER (WHERE payment_reference = ANY($2::text[]))::int AS others
           FROM settlement.payments`,
        [pager.id, [refA, refB]],
      );
      const r = rows[0];
      const { rows: bulkRows } = await suite.db.query(`SELECT count(*)::int AS n FROM settlement.payments WHERE merchant_id = $1`, [bulk.id]);
      return r.pager === 7 && r.settled === 2 && r.reversed === 1 && r.others === 2 && bulkRows[0].n === BULK.length;
    });
  });

  afterAll(async () => {
    await suite?.stop();
  });

  const list = async (query: string, key = keyPager) => {
    const res = await client.get(`/v1/payments${query}`, key);
    expect(res.status).toBe(200);
    await client.expectSchema('PaymentPage', res.body);
    return res.body as { data: { paymentReference: string; status: string }[]; nextCursor: string | null };
  };

  const expectBadRequest = async (path: string, field: string, key = keyPager) => {
    const res = await client.get(path, key);
    expect(res.status).toBe(400);
    await client.expectSchema('Error', res.body);
    expect(res.body.error).toBe('VALIDATION_FAILED');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(res.body.message).toContain(field);
  };

  describe('admin endpoints', () => {
    it('refuse a missing, wrong or merchant token', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer not-the-admin-token-at-all-000' }, { authorization: `Bearer ${keyA}` }]) {
        const res = await client.request('GET', '/v1/admin/merchants', { headers });
        expect(res.status).toBe(401);
        await client.expectSchema('Error', res.body);
      }
    });

    it('create merchants idempotently and refuse conflicting ones', async () => {
      const id = crypto.randomUUID();
      const first = await client.request('POST', '/v1/admin/merchants', { admin: true, body: { id, name: `Repeat ${tag}` } });
      expect(first.status).toBe(201);
      await client.expectSchema('CreatedMerchant', first.body);
      const again = await client.request('POST', '/v1/admin/merchants', { admin: true, body: { id, name: `Repeat ${tag}` } });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id, created: false });
      const otherName = await client.request('POST', '/v1/admin/merchants', { admin: true, body: { id, name: `Other ${tag}` } });
      expect(otherName).toMatchObject({ status: 409, body: { error: 'MERCHANT_ID_TAKEN' } });
      const takenName = await client.request('POST', '/v1/admin/merchants', { admin: true, body: { name: `repeat ${tag}` } });
      expect(takenName).toMatchObject({ status: 409, body: { error: 'MERCHANT_NAME_TAKEN' } });
      const listed = await client.request('GET', '/v1/admin/merchants', { admin: true });
      await client.expectSchema('MerchantList', listed.body);
      expect(listed.body.data.find((m: { id: string }) => m.id === merchantA.id)).toMatchObject({ activeKeys: 1 });
    });

    it.each([
      ['name', {}],
      ['name', { name: '   ' }],
      ['id', { id: 'not-a-uuid', name: 'X' }],
      ['nickname', { name: 'X', nickname: 'y' }],
    ])('answer 400 naming %s', async (field, body) => {
      const res = await client.request('POST', '/v1/admin/merchants', { admin: true, body });
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('answer 400 naming a malformed merchant id and 404 for an unknown one', async () => {
      const bad = await client.request('GET', '/v1/admin/merchants/not-a-uuid/api-keys', { admin: true });
      expect(bad.status).toBe(400);
      expect(bad.body.fields[0].field).toBe('merchantId');
      const unknown = await client.request('POST', `/v1/admin/merchants/${crypto.randomUUID()}/api-keys`, { admin: true, body: {} });
      expect(unknown.status).toBe(404);
    });
  });

  describe('API keys', () => {
    it('authenticate with Authorization: Bearer or X-API-Key; without one the answer is 401', async () => {
      expect((await client.request('GET', '/v1/payments', { key: keyA })).status).toBe(200);
      expect((await client.request('GET', '/v1/payments', { key: keyA, keyHeader: 'x-api-key' })).status).toBe(200);
      const none = await client.request('GET', '/v1/payments');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      await client.expectSchema('Error', none.body);
      const forged = await client.request('GET', '/v1/payments', { key: `pt_live_${'A'.repeat(43)}` });
      expect(forged.status).toBe(401);
      expect(forged.body.message).toBe(none.body.message);
    });

    it('are shown once, listed without secrets, several per merchant', async () => {
      const second = await client.request('POST', `/v1/admin/merchants/${merchantA.id}/api-keys`, { admin: true, body: { label: 'second' } });
      expect(second.status).toBe(201);
      await client.expectSchema('CreatedApiKey', second.body);
      secrets.push(second.body.key);
      expect((await client.get('/v1/payments', second.body.key)).status).toBe(200);
      expect((await client.get('/v1/payments', keyA)).status).toBe(200);
      const listed = await client.request('GET', `/v1/admin/merchants/${merchantA.id}/api-keys`, { admin: true });
      expect(listed.status).toBe(200);
      await client.expectSchema('ApiKeyList', listed.body);
      expect(listed.body.data.map((k: { label: string }) => k.label)).toEqual(expect.arrayContaining(['primary', 'second']));
      for (const secret of secrets) expect(listed.text).not.toContain(secret);
      const { rows } = await suite.db.query(`SELECT key_hash, prefix FROM settlement.api_keys WHERE merchant_id = $1`, [merchantA.id]);
      for (const secret of secrets) expect(JSON.stringify(rows)).not.toContain(secret);
    });

    it('a revoked key is refused at once, exactly like an unknown one', async () => {
      const created = await client.createKey(merchantA.id, 'to-revoke');
      secrets.push(created.key);
      expect((await client.get('/v1/payments', created.key)).status).toBe(200);
      const revoked = await client.request('POST', `/v1/admin/merchants/${merchantA.id}/api-keys/${created.id}/revoke`, { admin: true });
      expect(revoked.status).toBe(200);
      await client.expectSchema('ApiKey', revoked.body);
      expect(revoked.body).toMatchObject({ status: 'REVOKED', revokedAt: expect.any(String) });
      const refused = await client.get('/v1/payments', created.key, { 'x-correlation-id': 'same-correlation' });
      const unknown = await client.get('/v1/payments', `pt_live_${'B'.repeat(43)}`, { 'x-correlation-id': 'same-correlation' });
      expect(refused.status).toBe(401);
      expect(refused.text).toBe(unknown.text);
      expect(refused.text).not.toContain(created.key);
      // Revoking again changes nothing; another merchant's key id is not found.
      const again = await client.request('POST', `/v1/admin/merchants/${merchantA.id}/api-keys/${created.id}/revoke`, { admin: true });
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
      expect((await client.request('POST', `/v1/admin/merchants/${merchantB.id}/api-keys/${created.id}/revoke`, { admin: true })).status).toBe(404);
    });

    it('rotation issues a new key and revokes the old one in one call', async () => {
      const old = await client.createKey(merchantB.id, 'rotating');
      secrets.push(old.key);
      const rotated = await client.request('POST', `/v1/admin/merchants/${merchantB.id}/api-keys/${old.id}/rotate`, { admin: true });
      expect(rotated.status).toBe(201);
      await client.expectSchema('RotatedApiKey', rotated.body);
      secrets.push(rotated.body.apiKey.key);
      expect(rotated.body).toMatchObject({ apiKey: { label: 'rotating', status: 'ACTIVE' }, revoked: { id: old.id, status: 'REVOKED' } });
      expect((await client.get('/v1/payments', rotated.body.apiKey.key)).status).toBe(200);
      expect((await client.get('/v1/payments', old.key)).status).toBe(401);
      const twice = await client.request('POST', `/v1/admin/merchants/${merchantB.id}/api-keys/${old.id}/rotate`, { admin: true });
      expect(twice).toMatchObject({ status: 409, body: { error: 'API_KEY_REVOKED' } });
    });

    it('the CLI creates a key by merchant name or id', async () => {
      const cli = serviceEntry('settlement', 'cli.js');
      const env = { ...process.env, DATABASE_URL: suite.databaseUrl };
      for (const merchant of [merchantB.name.toUpperCase(), merchantB.id]) {
        const run = spawnSync(process.execPath, [cli, 'create-key', '--merchant', merchant], { env, encoding: 'utf8' });
        expect(run.status).toBe(0);
        const key = run.stdout.trim();
        secrets.push(key);
        expect(key).toMatch(/^pt_live_[A-Za-z0-9_-]{43}$/);
        expect(run.stderr).toContain(merchantB.id);
        const res = await client.get(`/v1/payments/${refB}`, key);
        expect(res.status).toBe(200);
      }
      const unknown = spawnSync(process.execPath, [cli, 'create-key', '--merchant', 'Nobody At All'], { env, encoding: 'utf8' });
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('merchant Nobody At All not found');
    });
  });

  describe('tenant isolation', () => {
    const routesFor = (ref: string, order: string) => [
      ['GET /v1/payments/:paymentReference', `/v1/payments/${encodeURIComponent(ref)}`],
      ['GET /v1/payments?orderNumber=', `/v1/payments?orderNumber=${encodeURIComponent(order)}`],
    ];

    it.each([
      ['A', 'B'],
      ['B', 'A'],
    ])("merchant %s asking for merchant %s's payment gets exactly the 404 of a payment that does not exist", async (asker, owner) => {
      const key = asker === 'A' ? keyA : keyB;
      const [ownRef, ownOrder] = asker === 'A' ? [refA, orderA] : [refB, orderB];
      const [otherRef, otherOrder] = owner === 'A' ? [refA, orderA] : [refB, orderB];
      const own = routesFor(ownRef, ownOrder);
      const others = routesFor(otherRef, otherOrder);
      const missing = routesFor(`${tag}-NO-SUCH-PAYMENT`, `ORD-${tag}-NO-SUCH`);
      for (let i = 0; i < own.length; i += 1) {
        const [route] = own[i];
        const mine = await client.get(own[i][1], key);
        expect({ route, status: mine.status }).toEqual({ route, status: 200 });
        const correlation = { 'x-correlation-id': `iso-${tag}-${i}` };
        const theirs = await client.get(others[i][1], key, correlation);
        const nothing = await client.get(missing[i][1], key, correlation);
        expect({ route, status: theirs.status }).toEqual({ route, status: 404 });
        expect({ route, body: theirs.text }).toEqual({ route, body: nothing.text });
        await client.expectSchema('Error', theirs.body);
        expect(theirs.text).not.toContain(otherRef);
        expect(theirs.headers.get('content-length')).toBe(nothing.headers.get('content-length'));
      }
    });

    it("lists, summaries and exports never show another merchant's payments", async () => {
      const pageA = await list('', keyA);
      expect(pageA.data.map((p) => p.paymentReference)).toEqual([refA]);
      const summaryA = await client.get('/v1/payments/summary?date=2026-11-12', keyA);
      expect(summaryA.body.currencies).toEqual([expect.objectContaining({ currency: 'CNY', count: 1, amountMinor: '600' })]);
      const csvB = await client.get('/v1/payments/export.csv', keyB);
      expect(csvB.text).toContain(refB);
      expect(csvB.text).not.toContain(refA);
      expect(csvB.text).not.toContain(pref(1));
    });
  });

  describe('listing and pagination', () => {
    it('pages through every payment newest first with an opaque cursor, ties broken by reference', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        sizes.push(page.data.length);
        seen.push(...page.data.map((p) => p.paymentReference));
        cursor = page.nextCursor;
      } while (cursor);
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(NEWEST_FIRST);
    });

    it('has a default page size of 50 and a cap of 200', async () => {
      const first = await list('', keyBulk);
      expect(first.data).toHaveLength(50);
      expect(first.nextCursor).not.toBeNull();
      await expectBadRequest('/v1/payments?limit=201', 'limit', keyBulk);
      const sizes: number[] = [];
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(`?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, keyBulk);
        sizes.push(page.data.length);
        seen.push(...page.data.map((p) => p.paymentReference));
        cursor = page.nextCursor;
      } while (cursor);
      // All paid at the same instant: the reference alone orders them, across page boundaries.
      expect(sizes).toEqual([200, 200, 120]);
      expect(seen).toEqual([...BULK].reverse());
    });

    it('filters by status and date range, and pages within the filter', async () => {
      expect((await list('?status=SETTLED')).data.map((p) => p.paymentReference)).toEqual([pref(3), pref(2)]);
      expect((await list('?status=REVERSED')).data.map((p) => p.status)).toEqual(['REVERSED']);
      const first = await list('?status=CLEARING,FAILED&limit=2');
      expect(first.data.map((p) => p.paymentReference)).toEqual([pref(5), pref(4)]);
      const second = await list(`?status=CLEARING,FAILED&limit=2&cursor=${first.nextCursor}`);
      expect(second.data.map((p) => p.paymentReference)).toEqual([pref(1), pref(7)]);
      expect(second.nextCursor).toBeNull();
      expect((await list('?from=2026-11-10&to=2026-11-11')).data.map((p) => p.paymentReference)).toEqual([5, 4, 3, 2, 1].map(pref));
      expect((await list('?from=2026-11-10T03:00:00Z&to=2026-11-10T03:00:01%2B00:00')).data.map((p) => p.paymentReference)).toEqual([pref(4), pref(3)]);
    });

    it('finds the payments of one order', async () => {
      const page = await list(`?orderNumber=ORD-${pref(4)}`);
      expect(page.data).toEqual([
        expect.objectContaining({ paymentReference: pref(4), status: 'FAILED', failure: expect.objectContaining({ code: 'INSUFFICIENT_FUNDS' }) }),
      ]);
    });

    it.each([
      ['limit', '?limit=0'],
      ['limit', '?limit=ten'],
      ['status', '?status=PAID'],
      ['status', '?status=SETTLED&status=FAILED'],
      ['from', '?from=yesterday'],
      ['from', '?from=2026-13-01'],
      ['from', '?from=2026-11-10T10:00:00'],
      ['to', '?to=2026-02-30'],
      ['to', '?to=2026-13-01T00:00:00Z'],
      ['to', '?from=2026-11-11&to=2026-11-10'],
      ['cursor', '?cursor=not-a-real-cursor'],
      ['foo', '?foo=bar'],
      ['status', `?orderNumber=ORD-1&status=SETTLED`],
    ])('answers 400 naming %s for %s', async (field, query) => {
      await expectBadRequest(`/v1/payments${query}`, field);
    });

    it('answers 400 naming paymentReference when it is too long', async () => {
      await expectBadRequest(`/v1/payments/${'X'.repeat(129)}`, 'paymentReference');
    });
  });

  describe('daily summary', () => {
    it('counts and sums per currency and status, amounts as strings of minor units', async () => {
      const res = await client.get('/v1/payments/summary?date=2026-11-10', keyPager);
      expect(res.status).toBe(200);
      await client.expectSchema('DailySummary', res.body);
      const zero = { count: 0, amountMinor: '0' };
      expect(res.body).toEqual({
        date: '2026-11-10',
        from: '2026-11-10T00:00:00.000Z',
        to: '2026-11-11T00:00:00.000Z',
        currencies: [
          {
            currency: 'CNY',
            count: 4,
            amountMinor: '650',
            byStatus: { SETTLED: { count: 2, amountMinor: '500' }, CLEARING: { count: 2, amountMinor: '150' }, FAILED: zero, REVERSED: zero },
          },
          {
            currency: 'USD',
            count: 1,
            amountMinor: '500',
            byStatus: { SETTLED: zero, CLEARING: zero, FAILED: { count: 1, amountMinor: '500' }, REVERSED: zero },
          },
        ],
      });
      const empty = await client.get('/v1/payments/summary?date=2020-01-01', keyPager);
      expect(empty.body.currencies).toEqual([]);
    });

    it.each(['', '?date=2026-11', '?date=2026-02-30', '?date=2026-11-10&extra=1'])('answers 400 for %p', async (query) => {
      const res = await client.get(`/v1/payments/summary${query}`, keyPager);
      expect(res.status).toBe(400);
      expect(res.body.fields.length).toBeGreaterThan(0);
    });

    it.each(['2026-13-01', '2026-02-30', 'yesterday', '2026-00-10', '2026-11-10T00:00:00Z'])('answers 400 naming date for date=%s, never 500', async (date) => {
      const res = await client.get(`/v1/payments/summary?date=${encodeURIComponent(date)}`, keyPager);
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual([{ field: 'date', message: 'date must be a calendar date, YYYY-MM-DD (a UTC day)' }]);
    });
  });

  describe('CSV export', () => {
    it('streams the filtered list as CSV, in list order', async () => {
      const res = await client.get('/v1/payments/export.csv?status=CLEARING,FAILED', keyPager);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/);
      const lines = res.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'paymentReference,orderNumber,status,amountMinor,currency,channel,firstSeenAt,clearedAt,expectedSettlementDate,batchId,settledAt,destinationAccountMasked,failureCode,failureExplanation,failureRemedy,reversedAt',
      );
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([5, 4, 1, 7].map(pref));
      expect(lines.find((l) => l.startsWith(pref(4)))).toContain('INSUFFICIENT_FUNDS');
    });

    it('exports every row of a long list, beyond one read from the database', async () => {
      const res = await client.get('/v1/payments/export.csv', keyBulk);
      expect(res.status).toBe(200);
      const refs = res.text
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]);
      expect(refs).toEqual([...BULK].reverse());
      const summary = await client.get('/v1/payments/summary?date=2026-11-13', keyBulk);
      expect(summary.body.currencies).toEqual([expect.objectContaining({ currency: 'CNY', count: 520, amountMinor: '520' })]);
      expect(summary.body.currencies[0].byStatus.SETTLED).toEqual({ count: 520, amountMinor: '520' });
    });

    it('refuses page parameters and bad filters with 400', async () => {
      await expectBadRequest('/v1/payments/export.csv?limit=5', 'limit');
      await expectBadRequest('/v1/payments/export.csv?from=2026-11-12&to=2026-11-11', 'to');
    });
  });

  it('serves its OpenAPI document, identical to docs/openapi/settlement.json', async () => {
    const res = await client.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const copy = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'docs', 'openapi', 'settlement.json'), 'utf8'));
    expect(res.body).toEqual(copy);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/v1/payments', '/v1/payments/{paymentReference}', '/v1/payments/summary', '/v1/payments/export.csv']),
    );
  });

  it('limits each merchant to its own request rate across replicas, with 429 and Retry-After', async () => {
    // Two replicas with a limit of 3: they count together, in PostgreSQL.
    const [one, two] = await Promise.all([
      suite.startInstance('settlement', { SETTLEMENT_RATE_LIMIT_PER_MINUTE: '3' }),
      suite.startInstance('settlement', { SETTLEMENT_RATE_LIMIT_PER_MINUTE: '3' }),
    ]);
    const limitedMerchant = await client.createMerchant(`Limited ${tag}`);
    const limitedKey = (await client.createKey(limitedMerchant.id)).key;
    secrets.push(limitedKey);
    const replicas = [one, two].map((r) => new SettlementClient(suite, () => r.url));
    try {
      for (let i = 0; i < 3; i += 1) {
        const ok = await replicas[i % 2].get('/v1/payments?limit=1', limitedKey);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('x-ratelimit-limit')).toBe('3');
        expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
      }
      const refused = await replicas[1].get('/v1/payments?limit=1', limitedKey);
      expect(refused.status).toBe(429);
      await client.expectSchema('Error', refused.body);
      expect(refused.body.error).toBe('RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another merchant is not affected; a request without a key is still a 401.
      const other = await client.createKey((await client.createMerchant(`Neighbour ${tag}`)).id);
      secrets.push(other.key);
      expect((await replicas[0].get('/v1/payments?limit=1', other.key)).status).toBe(200);
      expect((await replicas[0].request('GET', '/v1/payments')).status).toBe(401);
    } finally {
      await Promise.all([one.stop('SIGTERM'), two.stop('SIGTERM')]);
    }
  });

  it("writes every operator's change to merchants and keys to an append-only trail, under the credential's name", async () => {
    const { rows } = await suite.db.query(`SELECT DISTINCT operator, action FROM settlement.admin_audit_log ORDER BY action`);
    expect(rows).toEqual(
      expect.arrayContaining([
        { operator: 'test-operator', action: 'CREATE_API_KEY' },
        { operator: 'test-operator', action: 'CREATE_MERCHANT' },
        { operator: 'test-operator', action: 'REVOKE_API_KEY' },
        { operator: 'test-operator', action: 'ROTATE_API_KEY' },
      ]),
    );
    const { rows: details } = await suite.db.query(`SELECT details::text AS d FROM settlement.admin_audit_log`);
    for (const secret of secrets) expect(details.map((r) => r.d).join('\n')).not.toContain(secret);
    await expect(suite.db.query(`UPDATE settlement.admin_audit_log SET operator = 'someone-else'`)).rejects.toThrow(/append-only/);
  });

  it('never writes an API key secret to a log line', () => {
    const logs = suite.logs().join('\n');
    expect(secrets.length).toBeGreaterThanOrEqual(9);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    for (const secret of secrets) expect(logs).not.toContain(secret.slice(8));
  });
});
