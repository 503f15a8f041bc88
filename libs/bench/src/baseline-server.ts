// A bare Express server with one route and a pg pool: the floor the services are held
// against. Started by the bench as a process of its own, like the services, so it does
// not share an event loop with the load generator.
import express from 'express';
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

const mode = process.env.BASELINE_MODE;
const port = Number(process.env.BASELINE_PORT);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
const app = express();
app.disable('x-powered-by');
app.get('/readyz', (_req, res) => {
  res.status(200).json({ status: 'ready' });
});

let ticket = 0;
if (mode === 'intake-insert') {
  // One INSERT of the row intake writes for a report, into a copy of intake.incidents.
  app.post('/v1/incidents', express.json(), async (req, res) => {
    try {
      const body = req.body as Record<string, string>;
      const now = new Date();
      const id = randomUUID();
      const ticketNumber = `PT-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${String((ticket += 1)).padStart(6, '0')}`;
      const { rows } = await pool.query(
        `INSERT INTO bench_baseline.incidents
           (id, ticket_number, incident_type, source, status, order_number, account_id, phone_last4_hash, amount_minor, currency,
            paid_at, channel, payment_reference, urgent, description, correlation_id, created_at, updated_at, priority,
            first_response_due_at, resolution_due_at)
         VALUES ($1,$2,'PAID_NOT_CREDITED','BUYER','RECEIVED',$3,$4,$5,$6,$7,$8,$9,$10,false,NULL,$11,$12,$12,'P3',$13,$14)
         RETURNING id, ticket_number, status, order_number, created_at`,
        [
          id,
          ticketNumber,
          body.orderNumber,
          body.accountId,
          body.phoneLast4 ? createHash('sha256').update(body.phoneLast4).digest('hex') : null,
          body.amountMinor,
          body.currency,
          body.paidAt,
          body.channel,
          body.paymentReference ?? null,
          randomUUID(),
          now,
          new Date(now.getTime() + 4 * 3_600_000),
          new Date(now.getTime() + 24 * 3_600_000),
        ],
      );
      res.status(201).json(rows[0]);
    } catch (error) {
      res.status(500).json({ error: (error as Error).message });
    }
  });
} else if (mode === 'settlement-lookup') {
  // The two statements GET /v1/payments/:ref runs: the key's holder, then the payment.
  app.get('/v1/payments/:ref', async (req, res) => {
    try {
      const authorization = req.header('authorization') ?? '';
      const keyHash = createHash('sha256').update(authorization.slice(7).trim(), 'utf8').digest('hex');
      const holder = await pool.query<{ id: string; merchant_id: string; name: string }>(
        `SELECT k.id, k.merchant_id, m.name FROM settlement.api_keys k JOIN settlement.merchants m ON m.id = k.merchant_id
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
        [keyHash],
      );
      if (holder.rows.length === 0) {
        res.status(401).json({ error: 'UNAUTHORIZED' });
        return;
      }
      const { rows } = await pool.query(
        `SELECT payment_reference, order_number, merchant_id, channel, clearing_status, failure_code, amount_minor::text AS amount_minor,
           currency, clearing_status_at, cleared_at, first_seen_at,
           to_char(first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS first_seen_key,
           batch_id, batch_outcome, batch_failure_code, batch_event_at, destination_account_masked, status, updated_at
           FROM settlement.payments WHERE merchant_id = $1 AND payment_reference = $2`,
        [holder.rows[0].merchant_id, req.params.ref],
      );
      if (rows.length === 0) res.status(404).json({ error: 'NOT_FOUND' });
      else res.status(200).json(rows[0]);
    } catch (error) {
      res.status(500).json({ error: (error as Error).message });
    }
  });
} else {
  process.stderr.write(`baseline-server: unknown BASELINE_MODE ${mode}\n`);
  process.exit(2);
}

const server = app.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
