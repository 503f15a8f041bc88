import { ACCESS_EVENT_TYPES, TOPICS } from '@pt/contracts';
import { Upstream, createAgent, postReport, reportBody, simOrder, startSuite, waitFor, waitForCaughtUp, waitForDecision, type Suite } from '@pt/testing';
import { SignJWT } from 'jose';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

type Service = 'intake' | 'reconciliation';
interface Answer {
  status: number;
  body: Record<string, any> | null;
  retryAfter: string | null;
}

/**
 * Staff sessions across services: signing out, disabling, demoting and password changes
 * reach reconciliation within seconds; sign-in guessing is limited in PostgreSQL.
 */
describe('staff sessions', () => {
  let suite: Suite;
  let incidentId: string;
  let orderNumber: string;
  const secretsSeen: string[] = [];

  /** One request; `from` picks the client address (any 127.x.y.z reaches the loopback). */
  const call = (service: Service, method: string, path: string, token?: string | null, body?: unknown, from = '127.0.0.1'): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, suite.url(service));
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          localAddress: from,
          agent: false,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode!, body: text ? (JSON.parse(text) as Record<string, any>) : null, retryAfter: res.headers['retry-after'] ?? null }),
          );
        },
      );
      req.on('error', reject);
      req.end(data);
    });

  const password = () => {
    const value = `pw-${crypto.randomUUID()}`;
    secretsSeen.push(value);
    return value;
  };

  const newAgent = async (label: string, role: 'agent' | 'supervisor'): Promise<{ username: string; password: string }> => {
    const username = `${label}-${crypto.randomUUID().slice(0, 8)}`;
    const secret = password();
    await createAgent(suite, username, role, secret);
    return { username, password: secret };
  };

  const signIn = async (username: string, secret: string): Promise<string> => {
    const res = await call('intake', 'POST', '/v1/auth/sign-in', null, { username, password: secret });
    expect(res.status).toBe(200);
    secretsSeen.push(res.body!.token);
    return res.body!.token as string;
  };

  const admin = (method: string, path: string, body?: unknown) => call('intake', method, path, suite.adminToken, body);
  const evidence = (token: string) => call('reconciliation', 'GET', `/v1/decisions/${incidentId}`, token);
  const reveal = (token: string) =>
    call('reconciliation', 'POST', '/v1/card-keys/reveal-for-agent', token, { orderNumber, incidentId, reason: 'read to the buyer' });
  const me = (token: string) => call('intake', 'GET', '/v1/auth/me', token);
  /** A supervisor-only route of intake; the incident's SKU has no stock, so an accepted call issues nothing. */
  const forceReissue = (token: string) => call('intake', 'POST', `/v1/incidents/${incidentId}/force-reissue`, token, { reason: 'testing the role' });

  /** Waits until reconciliation answers `status` to the request, and says how long it took. */
  const reconciliationAnswers = async (what: string, status: number, request: () => Promise<Answer>): Promise<number> => {
    const started = Date.now();
    await waitFor(`reconciliation to answer ${status} to ${what}`, async () => (await request()).status === status, { timeoutMs: 15_000 });
    return Date.now() - started;
  };

  beforeAll(async () => {
    suite = await startSuite('staff-sessions', ['intake', 'reconciliation'], {
      SIGN_IN_MAX_FAILURES: '5',
      SIGN_IN_WINDOW_MINUTES: '15',
      SIGN_IN_MAX_FAILURES_PER_ADDRESS: '30',
    });
    const up = new Upstream(suite.publisher);
    const o = simOrder('sessions', { sku: 'SKU-SESSIONS-NONE' });
    await up.orderPlaced(o);
    await up.clearing(o, `PAY-${o.orderNumber}`, 'unionpay', 'FAILED', 1, { failureCode: 'CARD_DECLINED' });
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    const created = await postReport(suite, reportBody(o));
    await waitForDecision(suite, created.body.id);
    incidentId = created.body.id;
    orderNumber = o.orderNumber;
  });

  afterAll(async () => {
    if (suite) {
      const logs = suite.logs().join('\n');
      const leaked = secretsSeen.filter((secret) => logs.includes(secret));
      await suite.stop();
      expect(leaked).toEqual([]);
    }
  });

  it('a supervisor who signs out is refused by reconciliation within seconds, on evidence and on reveals', async () => {
    const sam = await newAgent('sam', 'supervisor');
    const token = await signIn(sam.username, sam.password);
    expect((await evidence(token)).status).toBe(200);
    expect([200, 404]).toContain((await reveal(token)).status);

    expect((await call('intake', 'POST', '/v1/auth/sign-out', token)).status).toBe(204);
    expect((await me(token)).status).toBe(401);
    const tookMs = await reconciliationAnswers('evidence with a signed-out token', 401, () => evidence(token));
    expect(tookMs).toBeLessThan(10_000);
    expect((await reveal(token)).status).toBe(401);

    const events = (await suite.topics.envelopes<{ sessionId: string; reason: string }>(TOPICS.accessEvents)).filter(
      (e) => e.type === ACCESS_EVENT_TYPES.agentSessionRevoked,
    );
    const signedOut = events.filter((e) => e.payload.reason === 'SIGNED_OUT');
    expect(signedOut).toHaveLength(1);
    const raw = JSON.stringify(events);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(sam.password);
  });

  it('a disabled agent is refused everywhere, cannot sign in, and re-enabling does not revive old tokens', async () => {
    const agent = await newAgent('dora', 'agent');
    const token = await signIn(agent.username, agent.password);
    expect((await evidence(token)).status).toBe(200);

    const disabled = await admin('POST', `/v1/admin/agents/${agent.username}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ username: agent.username, disabled: true, sessionsEnded: 1 });
    expect((await me(token)).status).toBe(401);
    await reconciliationAnswers('evidence for a disabled agent', 401, () => evidence(token));
    const refused = await call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: agent.password });
    expect(refused.status).toBe(401);
    expect(refused.body!.error).toBe('SIGN_IN_FAILED');

    const enabled = await admin('POST', `/v1/admin/agents/${agent.username}/enable`);
    expect(enabled.body).toMatchObject({ disabled: false, sessionsEnded: 0 });
    // The new token carries the newer access version, so it works at once, whether or not
    // reconciliation has heard of the re-enabling yet.
    const fresh = await signIn(agent.username, agent.password);
    expect((await evidence(fresh)).status).toBe(200);
    expect((await me(token)).status).toBe(401);
    expect((await evidence(token)).status).toBe(401);
  });

  it('a demoted supervisor gets 403 on supervisor routes at intake at once and at reconciliation within seconds', async () => {
    const sid = await newAgent('sid', 'supervisor');
    const token = await signIn(sid.username, sid.password);
    expect([200, 404]).toContain((await reveal(token)).status);

    const demoted = await admin('POST', `/v1/admin/agents/${sid.username}/role`, { role: 'agent' });
    expect(demoted.status).toBe(200);
    expect(demoted.body).toMatchObject({ role: 'agent', disabled: false, sessionsEnded: 0 });
    expect((await forceReissue(token)).status).toBe(403);
    expect((await me(token)).body).toMatchObject({ role: 'agent' });
    await reconciliationAnswers('a reveal by a demoted supervisor', 403, () => reveal(token));
    // Still signed in as an agent: what agents may do goes on.
    expect((await evidence(token)).status).toBe(200);

    await admin('POST', `/v1/admin/agents/${sid.username}/role`, { role: 'supervisor' });
    await reconciliationAnswers('a reveal by the supervisor promoted back', 200, async () => {
      const res = await reveal(token);
      return { ...res, status: res.status === 404 ? 200 : res.status };
    });
    expect((await forceReissue(token)).status).not.toBe(403);
  });

  it('a password reset by an operator ends every session of the agent', async () => {
    const agent = await newAgent('pat', 'agent');
    const first = await signIn(agent.username, agent.password);
    const second = await signIn(agent.username, agent.password);
    const replacement = password();
    expect((await admin('POST', `/v1/admin/agents/${agent.username}/password`, { password: replacement })).status).toBe(204);
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(401);
    await reconciliationAnswers('evidence with the first token after a reset', 401, () => evidence(first));
    await reconciliationAnswers('evidence with the second token after a reset', 401, () => evidence(second));
    expect((await call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: agent.password })).status).toBe(401);
    expect((await me(await signIn(agent.username, replacement))).status).toBe(200);
  });

  it("changing one's own password ends the other sessions but not the current one", async () => {
    const agent = await newAgent('cara', 'agent');
    const here = await signIn(agent.username, agent.password);
    const elsewhere = await signIn(agent.username, agent.password);
    const replacement = password();

    const wrong = await call('intake', 'POST', '/v1/auth/password', here, { currentPassword: 'not-the-password', newPassword: replacement });
    expect(wrong.status).toBe(400);
    expect(wrong.body!.fields[0].field).toBe('currentPassword');
    const short = await call('intake', 'POST', '/v1/auth/password', here, { currentPassword: agent.password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body!.fields.map((f: { field: string }) => f.field)).toEqual(['newPassword']);
    expect((await me(elsewhere)).status).toBe(200);

    const changed = await call('intake', 'POST', '/v1/auth/password', here, { currentPassword: agent.password, newPassword: replacement });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ otherSessionsEnded: 1 });
    expect((await me(elsewhere)).status).toBe(401);
    expect((await me(here)).status).toBe(200);
    await reconciliationAnswers('evidence with the other session', 401, () => evidence(elsewhere));
    expect((await evidence(here)).status).toBe(200);
    expect((await call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: replacement })).status).toBe(200);
  });

  it('the admin endpoints name the agent they cannot find and the field they cannot take', async () => {
    for (const [path, body] of [
      ['/v1/admin/agents/nobody-here/disable', undefined],
      ['/v1/admin/agents/nobody-here/enable', undefined],
      ['/v1/admin/agents/nobody-here/role', { role: 'agent' }],
      ['/v1/admin/agents/nobody-here/password', { password: 'long-enough-password' }],
    ] as const) {
      const res = await admin('POST', path, body);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body!.message).toContain('nobody-here');
    }
    const agent = await newAgent('ray', 'agent');
    const badRole = await admin('POST', `/v1/admin/agents/${agent.username}/role`, { role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body!.fields).toEqual([{ field: 'role', message: 'role must be agent or supervisor' }]);
    expect((await call('intake', 'POST', `/v1/admin/agents/${agent.username}/disable`, 'not-the-admin-token')).status).toBe(401);
  });

  it('20 wrong sign-ins at once against a limit of 5: at most 5 are checked, the rest get 429 with Retry-After', async () => {
    const agent = await newAgent('guessed', 'agent');
    const from = '127.0.0.21';
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: `guess-${i}` }, from)),
    );
    const statuses = answers.map((a) => a.status);
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - checked);
    // Even the right password waits now, from anywhere.
    const right = await call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: agent.password }, '127.0.0.22');
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ error: 'SIGN_IN_THROTTLED' });
    expect(JSON.stringify(right.body)).not.toContain(agent.password);
    const retryAfter = Number(right.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('many junk usernames do not free a locked one', async () => {
    const agent = await newAgent('locked', 'agent');
    for (let i = 0; i < 5; i += 1) {
      expect((await call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: `guess-${i}` }, '127.0.0.31')).status).toBe(401);
    }
    // More distinct names than any bounded table in memory would keep; sent from one address,
    // which is soon over its own limit, so most are refused without a password check.
    const junk = Array.from({ length: 10_050 }, (_, i) => `junk-${i}-${crypto.randomUUID().slice(0, 6)}`);
    for (let i = 0; i < junk.length; i += 50) {
      await Promise.all(
        junk.slice(i, i + 50).map((username) => call('intake', 'POST', '/v1/auth/sign-in', null, { username, password: 'whatever-it-is' }, '127.0.0.32')),
      );
    }
    const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM intake.rate_limit_hits WHERE bucket LIKE 'sign-in:username:junk-%'`);
    expect(rows[0].n).toBeGreaterThanOrEqual(10_000);
    const right = await call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: agent.password }, '127.0.0.33');
    expect(right.status).toBe(429);
  }, 300_000);

  it('failed sign-ins from one address are limited whatever the usernames', async () => {
    const from = '127.0.0.41';
    for (let i = 0; i < 30; i += 1) {
      expect((await call('intake', 'POST', '/v1/auth/sign-in', null, { username: `someone-${i}`, password: 'whatever-it-is' }, from)).status).toBe(401);
    }
    const agent = await newAgent('neighbour', 'agent');
    const refused = await call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: agent.password }, from);
    expect(refused.status).toBe(429);
    expect(refused.body!.error).toBe('SIGN_IN_THROTTLED');
    expect((await call('intake', 'POST', '/v1/auth/sign-in', null, { username: agent.username, password: agent.password }, '127.0.0.42')).status).toBe(200);
  });

  it('a token signed with another key, or an old pt1. HMAC token, is refused by both services', async () => {
    const sam = await newAgent('sam-forged', 'supervisor');
    const real = await signIn(sam.username, sam.password);
    expect((await me(real)).status).toBe(200);
    const claims = JSON.parse(Buffer.from(real.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

    const stranger = generateKeyPairSync('ed25519').privateKey;
    const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(stranger);
    const body = Buffer.from(JSON.stringify({ sid: claims.sid, sub: claims.sub, username: sam.username, role: 'supervisor', exp: claims.exp })).toString(
      'base64url',
    );
    const pt1 = `pt1.${body}.${createHmac('sha256', 'a-secret-of-at-least-32-characters!!').update(body).digest('base64url')}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${real.split('.')[1]}.`;

    for (const [name, token] of [
      ['another key', otherKey],
      ['pt1 HMAC', pt1],
      ['unsigned', unsigned],
    ] as const) {
      expect([name, 'intake', (await me(token)).status]).toEqual([name, 'intake', 401]);
      expect([name, 'evidence', (await evidence(token)).status]).toEqual([name, 'evidence', 401]);
      expect([name, 'reveal', (await reveal(token)).status]).toEqual([name, 'reveal', 401]);
    }
  });

  it('reconciliation refuses to start with the private key, naming the variable in one line', async () => {
    const privateKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(suite.startInstance('reconciliation', { AGENT_TOKEN_PRIVATE_KEY: privateKey })).rejects.toThrow(
      /AGENT_TOKEN_PRIVATE_KEY must not be set for this service/,
    );
    await expect(suite.startInstance('reconciliation', { AGENT_TOKEN_PUBLIC_KEY: privateKey })).rejects.toThrow(
      /AGENT_TOKEN_PUBLIC_KEY must be an Ed25519 or P-256 public key/,
    );
    await expect(suite.startInstance('intake', { AGENT_TOKEN_PRIVATE_KEY: 'not a key' })).rejects.toThrow(
      /AGENT_TOKEN_PRIVATE_KEY must be an Ed25519 or P-256 private key/,
    );
  });
});
