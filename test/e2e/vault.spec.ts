import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serviceEntry } from '@pt/dev-stack';
import {
  Upstream,
  importCardKeys,
  markedSecrets,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  stockOf,
  waitForCaughtUp,
  waitForDecision,
  type Suite,
} from '@pt/testing';
import { TOPICS } from '@pt/contracts';

/** The card-key vault: imports, the command line, rotation, the owner's reveal and its audit. */
describe('card-key vault', () => {
  let suite: Suite;
  let up: Upstream;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-test-'));

  const postCsv = async (csv: string, token = suite.adminToken) => {
    const res = await fetch(`${suite.url('reconciliation')}/v1/admin/card-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [serviceEntry('reconciliation', 'vault-cli.js'), ...args], { env: { ...suite.env, ...env }, encoding: 'utf8' });

  /** The buyer of `accountId` asks for an order's card keys, through the suite's channel. */
  const reveal = async (orderNumber: string, accountId: string) => {
    const res = await fetch(`${suite.url('reconciliation')}/v1/card-keys/reveal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.channelKey}`, 'x-buyer-token': await suite.buyerToken(accountId) },
      body: JSON.stringify({ orderNumber }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    suite = await startSuite('vault', ['intake', 'reconciliation']);
    up = new Upstream(suite.publisher);
  });

  afterAll(async () => {
    await suite?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a CSV and reports duplicates in the file and against stock by line number', async () => {
    await importCardKeys(suite, [{ sku: 'SKU-CSV', secret: 'ALREADY-IN-STOCK-1' }]);
    const res = await postCsv(
      'sku,secret,expiresAt\nSKU-CSV,CSV-KEY-0001,\nSKU-CSV,CSV-KEY-0002,2030-01-01T00:00:00Z\nSKU-CSV,CSV-KEY-0001,\nSKU-CSV,ALREADY-IN-STOCK-1,\n',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      imported: 2,
      duplicatesInFile: [{ line: 4, sku: 'SKU-CSV', firstSeenOnLine: 2 }],
      duplicatesInStock: [{ line: 5, sku: 'SKU-CSV' }],
    });
    expect(await stockOf(suite, 'SKU-CSV')).toBe(3);
  });

  it('rejects a file with a bad row by its line number and imports nothing of it', async () => {
    const before = await stockOf(suite, 'SKU-BAD');
    const res = await postCsv('sku,secret\nSKU-BAD,GOOD-KEY-0001\nSKU-BAD,GOOD-KEY-0002\nSKU-BAD,x\nbad sku!,GOOD-KEY-0004\n');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('IMPORT_REJECTED');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['line 4: secret', 'line 5: sku']);
    expect(await stockOf(suite, 'SKU-BAD')).toBe(before);
    const json = await importCardKeys(suite, [
      { sku: 'SKU-BAD', secret: 'GOOD-KEY-0009' },
      { sku: 'SKU-BAD', secret: 42 as unknown as string },
    ]);
    expect(json.status).toBe(400);
    expect(json.body.fields[0].field).toBe('line 2: secret');
    expect(await stockOf(suite, 'SKU-BAD')).toBe(before);
  });

  it('refuses the admin endpoint without the admin token', async () => {
    const res = await postCsv('sku,secret\nSKU-X,KEY-00000001\n', 'not-the-token-at-all-nope');
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain('KEY-00000001');
  });

  it('imports from the command line, and refuses a bad file with the line and a non-zero exit', () => {
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'sku,secret\nSKU-CLI,CLI-KEY-0001\nSKU-CLI,CLI-KEY-0002\n');
    const ok = cli(['import', good]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('imported 2 card key(s)');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'sku,secret\nSKU-CLI,CLI-KEY-0003\nSKU-CLI\n');
    const refused = cli(['import', bad]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('line 3');
    expect(refused.stdout + refused.stderr).not.toContain('CLI-KEY-0003');
  });

  it('reveals a re-issued key to the order owner only, audits it, and keeps the audit append-only', async () => {
    const [secret] = markedSecrets('reveal', 1);
    await importCardKeys(suite, [{ sku: 'SKU-REVEAL', secret: secret }]);
    const o = simOrder('reveal', { sku: 'SKU-REVEAL' });
    await up.orderPlaced(o);
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    const created = await postReport(suite, reportBody(o));
    const triaged = await waitForDecision(suite, created.body.id, 'REISSUED');

    const mine = await reveal(o.orderNumber, o.accountId);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('cache-control')).toBe('no-store');
    expect(mine.body.cardKeys).toEqual([expect.objectContaining({ cardKeyId: triaged.decision.cardKeyId, sku: 'SKU-REVEAL', secret })]);

    const stranger = await reveal(o.orderNumber, 'acct-stranger');
    const unknown = await reveal('NO-SUCH-ORDER', o.accountId);
    expect(stranger.status).toBe(404);
    const { correlationId: _a, ...strangerBody } = stranger.body;
    const { correlationId: _b, ...unknownBody } = unknown.body;
    expect(strangerBody).toEqual(unknownBody);

    const { rows } = await suite.db.query(
      `SELECT actor_type, actor_id, action, subject FROM reconciliation.audit_log WHERE subject = $1 AND action = 'REVEAL_CARD_KEY'`,
      [`card-key:${triaged.decision.cardKeyId}`],
    );
    expect(rows).toEqual([{ actor_type: 'BUYER', actor_id: o.accountId, action: 'REVEAL_CARD_KEY', subject: `card-key:${triaged.decision.cardKeyId}` }]);
    await expect(suite.db.query(`UPDATE reconciliation.audit_log SET reason = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(suite.db.query(`DELETE FROM reconciliation.audit_log`)).rejects.toThrow(/append-only/);
    expect(suite.logs().join('\n')).not.toContain(secret);
  });

  it('rotates the vault key: every secret is re-sealed and still opens after a restart with the new key', async () => {
    const oldKey = suite.env.VAULT_KEY!;
    const newKey = randomBytes(32).toString('base64');
    const rotateEnv = { VAULT_KEY: newKey, VAULT_KEY_ID: 'k2', VAULT_PREVIOUS_KEYS: `k1:${oldKey}` };
    const rotated = cli(['rotate'], rotateEnv);
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(/rotation done: \d+ secret\(s\) now sealed with key k2/);
    const { rows } = await suite.db.query(`SELECT key_id, count(*)::int AS n FROM reconciliation.card_keys GROUP BY key_id`);
    expect(rows.map((r) => r.key_id)).toEqual(['k2']);

    await suite.services.reconciliation!.stop();
    suite.services.reconciliation = await suite.startInstance('reconciliation', { VAULT_KEY: newKey, VAULT_KEY_ID: 'k2' });
    const { rows: owners } = await suite.db.query(
      `SELECT o.order_number, o.account_id FROM reconciliation.issuances i JOIN reconciliation.ledger_orders o USING (order_number) LIMIT 1`,
    );
    const again = await reveal(owners[0].order_number, owners[0].account_id);
    expect(again.status).toBe(200);
    expect(again.body.cardKeys[0].secret).toMatch(/^SECRET-reveal-/);
  });

  it('refuses to start with a weak vault key, naming the variable', async () => {
    const weak = Buffer.alloc(32, 7).toString('base64');
    await expect(suite.startInstance('reconciliation', { VAULT_KEY: weak })).rejects.toThrow(/VAULT_KEY is too weak/);
  });
});
