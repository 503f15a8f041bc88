import { TOPICS } from '@pt/contracts';
import {
  Upstream,
  agentToken,
  getIncident,
  importCardKeys,
  markedSecrets,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  waitFor,
  waitForCaughtUp,
  waitForDecision,
  type SimOrder,
  type Suite,
} from '@pt/testing';
import { projectRoot, serviceEntry } from '@pt/dev-stack';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/**
 * The buyer edge, attacked the way a stranger would: with an order number found on a
 * screenshot, an invented account, a forged or stale token, or sheer repetition. Every
 * attack must fail, and the real buyer must still get their card key.
 */
describe('the buyer edge', () => {
  let suite: Suite;
  let up: Upstream;
  const secrets = markedSecrets('edge', 12);
  let secretIndex = 0;

  const reveal = async (orderNumber: string, headers: Record<string, string>) => {
    const res = await fetch(`${suite.url('reconciliation')}/v1/card-keys/reveal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ orderNumber }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as Record<string, any> };
  };
  const asChannel = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${suite.channelKey}`, ...extra });
  const asBuyer = async (accountId: string) => asChannel({ 'x-buyer-token': await suite.buyerToken(accountId) });
  const ticket = async (ticketNumber: string, headers: Record<string, string>) => {
    const res = await fetch(`${suite.url('intake')}/v1/tickets/${ticketNumber}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  /** A paid order whose callback was lost, with a card key in stock for it. */
  const lostCallback = async (label: string): Promise<SimOrder> => {
    const sku = `SKU-EDGE-${label}`;
    expect((await importCardKeys(suite, [{ sku, secret: secrets[secretIndex++] }])).status).toBe(200);
    const o = simOrder(label, { sku, accountId: `acct-${label}-${crypto.randomUUID().slice(0, 6)}` });
    await up.orderPlaced(o);
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    return o;
  };

  beforeAll(async () => {
    suite = await startSuite('buyer-edge', ['intake', 'reconciliation'], {
      REVEAL_LIMIT_PER_ORDER_PER_HOUR: '8',
      REVEAL_ALERT_REFUSALS: '4',
      REVEAL_ALERT_WINDOW_MINUTES: '15',
    });
    up = new Upstream(suite.publisher);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('order number → report → reveal: a stranger learns nothing and takes nothing', async () => {
    const o = await lostCallback('chain');
    const owner = await postReport(suite, reportBody(o, { accountId: undefined }), { 'x-buyer-token': await suite.buyerToken(o.accountId) });
    expect(owner.status).toBe(201);
    const decided = await waitForDecision(suite, owner.body.id, 'REISSUED');

    // The stranger reports the same order with an invented account: a new incident of their own.
    const stranger = await postReport(suite, reportBody(o, { accountId: 'acct-invented' }));
    expect(stranger.status).toBe(201);
    expect(stranger.body).toMatchObject({ existing: false, verified: false, orderNumber: o.orderNumber });
    expect(stranger.body.id).not.toBe(owner.body.id);
    const text = JSON.stringify(stranger.body);
    for (const leak of [o.accountId, decided.decision.cardKeyId, decided.decision.decisionId, `PAY-${o.orderNumber}`, 'REISSUED', 'AUTO_RESOLVED']) {
      expect(text).not.toContain(leak);
    }
    expect(stranger.body).not.toHaveProperty('status');

    // Claiming the owner's account without a token still shows nothing of the owner's incident.
    const claimed = await postReport(suite, reportBody(o, { accountId: o.accountId }));
    expect(claimed.body.id).not.toBe(owner.body.id);
    expect(JSON.stringify(claimed.body)).not.toMatch(/REISSUED|AUTO_RESOLVED|decision|cardKey/);

    // The reveal: no token, the stranger's own token, a forged one: all refused alike.
    const noToken = await reveal(o.orderNumber, asChannel());
    expect(noToken.status).toBe(401);
    expect(noToken.body.error).toBe('BUYER_TOKEN_INVALID');
    const ownToken = await reveal(o.orderNumber, await asBuyer('acct-invented'));
    const unknownOrder = await reveal(`NO-SUCH-${o.orderNumber}`, await asBuyer('acct-invented'));
    expect(ownToken.status).toBe(404);
    const strip = (b: Record<string, any>) => ({ ...b, correlationId: undefined });
    expect(strip(ownToken.body)).toEqual(strip(unknownOrder.body));
    const forged = await reveal(
      o.orderNumber,
      asChannel({ 'x-buyer-token': await suite.buyerToken(o.accountId, { secret: 'a-secret-the-shop-never-had-0123456789' }) }),
    );
    expect(forged.status).toBe(401);
    const noChannel = await reveal(o.orderNumber, { 'x-buyer-token': await suite.buyerToken(o.accountId) });
    expect(noChannel.status).toBe(401);
    for (const refused of [noToken, ownToken, forged, noChannel]) expect(refused.text).not.toContain('SECRET-edge');

    // The owner, verified, reads the key.
    const mine = await reveal(o.orderNumber, await asBuyer(o.accountId));
    expect(mine.status).toBe(200);
    expect(mine.body.cardKeys).toEqual([expect.objectContaining({ cardKeyId: decided.decision.cardKeyId, secret: expect.stringMatching(/^SECRET-edge-/) })]);
  });

  it("a stranger's report on someone else's order cannot stop the owner's re-issue", async () => {
    const o = await lostCallback('block');
    // First a stranger, with a wrong account; then one claiming the owner's account with the wrong phone.
    const wrongAccount = await postReport(suite, reportBody(o, { accountId: 'acct-mallory' }));
    const wrongPhone = await postReport(suite, reportBody(o, { phoneLast4: '0000' }));
    expect((await waitForDecision(suite, wrongAccount.body.id)).decision.reasonCode).toBe('IDENTITY_MISMATCH');
    expect((await waitForDecision(suite, wrongPhone.body.id)).decision.reasonCode).toBe('IDENTITY_MISMATCH');

    // The owner's verified report joins neither, and is re-issued.
    const owner = await postReport(suite, reportBody(o, { accountId: undefined }), { 'x-buyer-token': await suite.buyerToken(o.accountId) });
    expect(owner.status).toBe(201);
    expect(owner.body).toMatchObject({ existing: false, verified: true, status: 'RECEIVED' });
    expect([wrongAccount.body.id, wrongPhone.body.id]).not.toContain(owner.body.id);
    const decided = await waitForDecision(suite, owner.body.id, 'REISSUED');
    expect(decided.status).toBe('AUTO_RESOLVED');
    expect(decided.buyerVerified).toBe(true);

    // A repeat of the owner's verified report joins the owner's incident; the stranger's repeat joins the stranger's.
    const again = await postReport(suite, reportBody(o, { accountId: undefined }), { 'x-buyer-token': await suite.buyerToken(o.accountId) });
    expect(again.body).toMatchObject({ id: owner.body.id, existing: true });
    const strangerAgain = await postReport(suite, reportBody(o, { accountId: 'acct-mallory' }));
    expect(strangerAgain.body).toMatchObject({ id: wrongAccount.body.id, existing: true });
  });

  it('follows a ticket for its own verified buyer only', async () => {
    const o = await lostCallback('ticket');
    const owner = await postReport(suite, reportBody(o, { accountId: undefined }), { 'x-buyer-token': await suite.buyerToken(o.accountId) });
    await waitForDecision(suite, owner.body.id, 'REISSUED');
    const mine = await ticket(owner.body.ticketNumber, await asBuyer(o.accountId));
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ ticketNumber: owner.body.ticketNumber, status: 'AUTO_RESOLVED', reasonCode: 'REISSUED', cardKeyAvailable: true });
    expect(JSON.stringify(mine.body)).not.toMatch(/evidence|cardKeyId|decisionId|assignee/);

    const someoneElse = await ticket(owner.body.ticketNumber, await asBuyer('acct-someone-else'));
    const missing = await ticket('PT-19990101-000001', await asBuyer('acct-someone-else'));
    expect(someoneElse.status).toBe(404);
    expect({ ...someoneElse.body, correlationId: undefined, message: undefined }).toEqual({ ...missing.body, correlationId: undefined, message: undefined });
    expect((await ticket(owner.body.ticketNumber, asChannel())).status).toBe(401);
    expect((await ticket('nonsense', await asBuyer(o.accountId))).body.fields[0].field).toBe('ticketNumber');

    // The stranger's own (identity-mismatch) ticket does not say whether the order exists.
    const stranger = await postReport(suite, reportBody(o, { accountId: undefined }), { 'x-buyer-token': await suite.buyerToken('acct-nosy') });
    await waitForDecision(suite, stranger.body.id, 'IDENTITY_MISMATCH');
    const nosy = await ticket(stranger.body.ticketNumber, await asBuyer('acct-nosy'));
    expect(nosy.body).toMatchObject({ status: 'ESCALATED', reasonCode: 'UNDER_REVIEW', cardKeyAvailable: false });
  });

  it('refuses bad buyer tokens with a reason and a mismatched account naming the field', async () => {
    const o = simOrder('tokens');
    const cases: [string, Promise<string>, string][] = [
      ['expired', suite.buyerToken(o.accountId, { now: new Date(Date.now() - 3_600_000), lifetimeSeconds: 600 }), 'expired'],
      ['wrong issuer', suite.buyerToken(o.accountId, { issuer: 'another-shop' }), 'issued by'],
      ['wrong audience', suite.buyerToken(o.accountId, { audience: 'someone-else' }), 'audience'],
      ['too long-lived', suite.buyerToken(o.accountId, { lifetimeSeconds: 7 * 86_400 }), 'longer than allowed'],
      ['signed with another secret', suite.buyerToken(o.accountId, { secret: 'not-the-shops-secret-but-long-enough-xx' }), 'not signed'],
      [
        'unsigned',
        Promise.resolve(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"sub":"${o.accountId}"}`).toString('base64url')}.`),
        'not signed',
      ],
      ['garbage', Promise.resolve('not-a-jwt'), 'well-formed'],
    ];
    for (const [name, token, says] of cases) {
      const res = await postReport(suite, reportBody(o), { 'x-buyer-token': await token });
      expect([name, res.status, res.body.error]).toEqual([name, 401, 'BUYER_TOKEN_INVALID']);
      expect([name, res.body.message]).toEqual([name, expect.stringContaining(says)]);
    }
    const mismatch = await postReport(suite, reportBody(o, { accountId: 'acct-not-me' }), { 'x-buyer-token': await suite.buyerToken(o.accountId) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.fields).toEqual([expect.objectContaining({ field: 'accountId' })]);
    const none = await postReport(suite, reportBody(o, { accountId: undefined }));
    expect(none.status).toBe(400);
    expect(none.body.fields).toEqual([expect.objectContaining({ field: 'accountId' })]);
    const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM intake.incidents WHERE order_number = $1`, [o.orderNumber]);
    expect(rows[0].n).toBe(0);
  });

  it("accepts tokens signed with the shop's public keys, inline or fetched from its JWKS URL", async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'shop-1', alg: 'ES256', use: 'sig' };
    const jwks = JSON.stringify({ keys: [jwk] });
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    const signed = (accountId: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'shop-1' })
        .setSubject(accountId)
        .setIssuer('test-shop')
        .setAudience('payment-triage')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    try {
      for (const keys of [{ BUYER_TOKEN_JWKS: jwks }, { BUYER_TOKEN_JWKS_URL: jwksUrl }]) {
        const intake = await suite.startInstance('intake', { BUYER_TOKEN_SECRET: '', ...keys });
        try {
          const o = simOrder('jwks');
          const post = async (token: string) => {
            const res = await fetch(`${intake.url}/v1/incidents`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.channelKey}`, 'x-buyer-token': token },
              body: JSON.stringify(reportBody(o, { accountId: undefined })),
            });
            return { status: res.status, body: (await res.json()) as Record<string, any> };
          };
          expect(await post(await signed(o.accountId))).toMatchObject({ status: 201, body: { verified: true } });
          // The HS256 secret is not configured on this instance: its tokens are refused.
          expect((await post(await suite.buyerToken(o.accountId))).status).toBe(401);
        } finally {
          await intake.stop('SIGTERM');
        }
      }
    } finally {
      server.close();
    }
    await expect(suite.startInstance('intake', { BUYER_TOKEN_SECRET: '' })).rejects.toThrow(
      /BUYER_TOKEN_SECRET, BUYER_TOKEN_JWKS or BUYER_TOKEN_JWKS_URL is required/,
    );
  });

  it('throttles reveals per order and raises one security incident for a burst of refusals', async () => {
    const o = await lostCallback('burst');
    const owner = await postReport(suite, reportBody(o, { accountId: undefined }), { 'x-buyer-token': await suite.buyerToken(o.accountId) });
    await waitForDecision(suite, owner.body.id, 'REISSUED');
    const before = await metric('card_key_reveals_total', 'result="NOT_THE_BUYER"');

    // Someone tries account after account: 4 refusals reach the alert threshold; the 9th attempt is over the per-order limit.
    const answers: number[] = [];
    for (let i = 0; i < 9; i += 1) answers.push((await reveal(o.orderNumber, await asBuyer(`acct-guess-${i}`))).status);
    expect(answers).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 429]);
    const throttled = await reveal(o.orderNumber, await asBuyer(o.accountId));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);

    // Each refusal is audited: which channel, which order, which account the token named, why.
    const { rows } = await suite.db.query(
      `SELECT actor_id, after->>'reason' AS reason, after->>'channelClientId' AS channel FROM reconciliation.audit_log WHERE action = 'REVEAL_REFUSED' AND subject = $1 ORDER BY id`,
      [`order:${o.orderNumber}`],
    );
    expect(rows.map((r) => r.reason)).toEqual([...Array(8).fill('NOT_THE_BUYER'), 'THROTTLED', 'THROTTLED']);
    expect(rows[0]).toMatchObject({ actor_id: 'acct-guess-0', channel: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await metric('card_key_reveals_total', 'result="NOT_THE_BUYER"')) - before).toBe(8);

    // One security incident, P1, in the agents' queue, however many refusals followed.
    const supervisor = await agentToken(suite);
    const alert = await waitFor('the security incident', async () => {
      const res = await fetch(`${suite.url('intake')}/v1/incidents?status=ESCALATED&limit=100`, { headers: { authorization: `Bearer ${supervisor}` } });
      const page = (await res.json()) as { items: Record<string, any>[] };
      return page.items.find((i) => i.type === 'SECURITY_ALERT' && i.orderNumber === o.orderNumber);
    });
    expect(alert).toMatchObject({
      priority: 'P1',
      status: 'ESCALATED',
      source: 'SECURITY',
      decision: expect.objectContaining({ reasonCode: 'REVEAL_REFUSALS' }),
    });
    expect((await getIncident(suite, alert.id)).decision.explanation).toContain('4 card-key reveals');
    const { rows: alerts } = await suite.db.query(
      `SELECT count(*)::int AS n FROM intake.incidents WHERE incident_type = 'SECURITY_ALERT' AND order_number = $1`,
      [o.orderNumber],
    );
    expect(alerts[0].n).toBe(1);
  });

  it('limits reports per channel client and per order across replicas, with Retry-After', async () => {
    // Two intake replicas with small limits: they share the counters in PostgreSQL.
    const limits = { REPORT_LIMIT_PER_CLIENT_PER_MINUTE: '1000', REPORT_LIMIT_PER_ORDER_PER_HOUR: '3' };
    const [a, b] = await Promise.all([suite.startInstance('intake', limits), suite.startInstance('intake', limits)]);
    try {
      const o = simOrder('limits');
      const statuses: number[] = [];
      let last: Response | undefined;
      for (const replica of [a, b, a, b]) {
        last = await fetch(`${replica.url}/v1/incidents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...asChannel() },
          body: JSON.stringify(reportBody(o)),
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 200, 200, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await last!.json()) as { error: string }).error).toBe('RATE_LIMITED');

      // Per client: a client over its rate is refused on every order.
      const tight = await suite.startInstance('intake', { REPORT_LIMIT_PER_CLIENT_PER_MINUTE: '1' });
      try {
        const burst = await Promise.all(
          Array.from({ length: 5 }, () =>
            fetch(`${tight.url}/v1/incidents`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...asChannel() },
              body: JSON.stringify(reportBody(simOrder('burst'))),
            }).then((r) => r.status),
          ),
        );
        // Hits already counted this minute by the other tests leave at most one through.
        expect(burst.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
      } finally {
        await tight.stop('SIGTERM');
      }
    } finally {
      await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
    }
  });

  it('channel clients: unknown and revoked keys are refused, rotation works at once, every change is audited by operator', async () => {
    const admin = { authorization: `Bearer ${suite.adminToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${suite.url('intake')}/v1/admin/channel-clients`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'chat bot', kind: 'CHAT_BOT' }),
    });
    expect(created.status).toBe(201);
    const { client, key } = (await created.json()) as { client: { id: string }; key: { id: string; secret: string } };
    expect(key.secret).toMatch(/^pt_chan_/);
    const report = (secret: string) => postReport(suite, reportBody(simOrder('keys')), { authorization: `Bearer ${secret}` });
    expect((await report(key.secret)).status).toBe(201);
    expect((await report('pt_chan_' + 'x'.repeat(43))).status).toBe(401);
    expect((await postReport(suite, reportBody(simOrder('keys')), { authorization: '' })).status).toBe(401);

    const rotated = await fetch(`${suite.url('intake')}/v1/admin/channel-clients/${client.id}/keys/${key.id}/rotate`, { method: 'POST', headers: admin });
    expect(rotated.status).toBe(201);
    const fresh = (await rotated.json()) as { id: string; secret: string };
    expect((await report(key.secret)).status).toBe(401);
    expect((await report(fresh.secret)).status).toBe(201);

    // Reconciliation hears of the revocation within seconds.
    const o = simOrder('keys');
    await waitFor('the new key at reconciliation', async () =>
      (await reveal(o.orderNumber, { authorization: `Bearer ${fresh.secret}` })).status === 401 ? undefined : true,
    );
    const revoked = await fetch(`${suite.url('intake')}/v1/admin/channel-clients/chat%20bot/keys/${fresh.id}/revoke`, { method: 'POST', headers: admin });
    expect(((await revoked.json()) as { status: string }).status).toBe('REVOKED');
    expect((await report(fresh.secret)).status).toBe(401);
    await waitFor(
      'the revoked key refused at reconciliation',
      async () => ((await reveal(o.orderNumber, { authorization: `Bearer ${fresh.secret}` })).status === 401 ? true : undefined),
      { timeoutMs: 10_000 },
    );

    const listed = (await (await fetch(`${suite.url('intake')}/v1/admin/channel-clients`, { headers: admin })).json()) as { data: Record<string, any>[] };
    expect(JSON.stringify(listed)).not.toContain(fresh.secret);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    const { rows } = await suite.db.query(`SELECT operator, action FROM intake.admin_audit_log WHERE subject = $1 ORDER BY id`, [
      `channel-client:${client.id}`,
    ]);
    expect(rows).toEqual([
      { operator: 'test-operator', action: 'CREATE_CHANNEL_CLIENT' },
      { operator: 'test-operator', action: 'CREATE_CHANNEL_CLIENT_KEY' },
      { operator: 'test-operator', action: 'CREATE_CHANNEL_CLIENT_KEY' },
      { operator: 'test-operator', action: 'ROTATE_CHANNEL_CLIENT_KEY' },
      { operator: 'test-operator', action: 'REVOKE_CHANNEL_CLIENT_KEY' },
    ]);
    await expect(suite.db.query(`DELETE FROM intake.admin_audit_log`)).rejects.toThrow(/append-only/);
    // Agents created by an operator are in the same trail.
    await agentToken(suite, 'agent', 'audited-agent');
    const { rows: agents } = await suite.db.query(`SELECT operator, action FROM intake.admin_audit_log WHERE subject = 'agent:audited-agent'`);
    expect(agents).toEqual([{ operator: 'test-operator', action: 'CREATE_AGENT' }]);
    // Card-key imports (every test here imports) are in reconciliation's trail.
    const { rows: imports } = await suite.db.query(`SELECT DISTINCT operator FROM reconciliation.admin_audit_log WHERE action = 'IMPORT_CARD_KEYS'`);
    expect(imports).toEqual([{ operator: 'test-operator' }]);
    const bad = await fetch(`${suite.url('intake')}/v1/admin/channel-clients`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: '', kind: 'FAX' }),
    });
    expect(((await bad.json()) as { fields: { field: string }[] }).fields.map((f) => f.field).sort()).toEqual(['kind', 'name']);
    const wrongAdmin = await fetch(`${suite.url('intake')}/v1/admin/channel-clients`, { headers: { authorization: 'Bearer not-an-operator-token-at-all' } });
    expect(wrongAdmin.status).toBe(401);
  });

  it("scopes Idempotency-Key to the calling channel: another channel's key never replays an answer", async () => {
    const admin = { authorization: `Bearer ${suite.adminToken}`, 'content-type': 'application/json' };
    const other = (await (
      await fetch(`${suite.url('intake')}/v1/admin/channel-clients`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ name: 'phone desk', kind: 'PHONE_DESK' }),
      })
    ).json()) as {
      key: { secret: string };
    };
    const o = simOrder('idem');
    const key = `idem-${crypto.randomUUID()}`;
    const first = await postReport(suite, reportBody(o), { 'idempotency-key': key });
    const replay = await postReport(suite, reportBody(o), { 'idempotency-key': key });
    expect(replay.body).toEqual(first.body);
    const elsewhere = await postReport(suite, reportBody(o, { accountId: 'acct-other' }), {
      'idempotency-key': key,
      authorization: `Bearer ${other.key.secret}`,
    });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.id).not.toBe(first.body.id);
  });

  it('manages channel clients from the command line, and mints demo buyer tokens', async () => {
    const env = { ...process.env, INTAKE_URL: suite.url('intake'), ADMIN_TOKEN: suite.adminToken };
    const channels = (...args: string[]) => spawnSync(process.execPath, [serviceEntry('intake', 'channels-cli.js'), ...args], { env, encoding: 'utf8' });
    const created = channels('create', '--name', 'cli desk', '--kind', 'PHONE_DESK');
    expect(created.status).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^pt_chan_/);
    expect((await postReport(suite, reportBody(simOrder('cli')), { authorization: `Bearer ${secret}` })).status).toBe(201);
    const listed = channels('list');
    expect(listed.stdout).toContain('cli desk (PHONE_DESK)');
    expect(listed.stdout).not.toContain(secret);
    const keyId = /key ([0-9a-f-]{36}) /.exec(listed.stdout.split('cli desk')[1])![1];
    expect(channels('revoke', '--client', 'cli desk', '--key', keyId).stdout).toContain('REVOKED');
    expect((await postReport(suite, reportBody(simOrder('cli')), { authorization: `Bearer ${secret}` })).status).toBe(401);
    // Unknown flags and missing ones are refused with the usage, and change nothing.
    const typo = channels('create', '--nmae', 'x', '--kind', 'CHAT_BOT');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/nmae/);
    expect(typo.stderr).toContain('usage:');
    expect(channels('create', '--kind', 'CHAT_BOT').stderr).toContain('--name is required');

    const minted = spawnSync(
      process.execPath,
      [path.join(projectRoot(), 'dist', 'libs', 'dev-stack', 'src', 'buyer-token-cli.js'), '--account', 'acct-cli', '--minutes', '5'],
      {
        env: { ...process.env, BUYER_TOKEN_SECRET: suite.env.BUYER_TOKEN_SECRET, BUYER_TOKEN_ISSUER: 'test-shop' },
        encoding: 'utf8',
      },
    );
    expect(minted.status).toBe(0);
    const verified = await postReport(suite, reportBody(simOrder('cli'), { accountId: undefined }), { 'x-buyer-token': minted.stdout.trim() });
    expect(verified.body).toMatchObject({ verified: true });
    const { rows } = await suite.db.query(`SELECT account_id FROM intake.incidents WHERE id = $1`, [verified.body.id]);
    expect(rows[0].account_id).toBe('acct-cli');
  });

  it('keeps channel keys, buyer tokens and card keys out of every log line', async () => {
    const token = await suite.buyerToken('acct-logs');
    await postReport(suite, reportBody(simOrder('logs')), { 'x-buyer-token': token });
    const logs = suite.logs().join('\n');
    expect(logs).not.toContain(suite.channelKey);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain('SECRET-edge');
  });

  /** A counter of reconciliation's /metrics, e.g. metric('card_key_reveals_total', 'result="NOT_THE_BUYER"'). */
  async function metric(name: string, label: string): Promise<number> {
    const text = await (await fetch(`${suite.url('reconciliation')}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
    return line ? Number(line.split(' ').pop()) : 0;
  }
});
