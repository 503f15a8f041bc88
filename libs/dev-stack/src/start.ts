import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startInfrastructure, type Infrastructure } from './infrastructure.js';
import { PrerequisiteError, describeFailure, requirePortFree } from './prerequisites.js';
import { demoSecrets, saveIssuedDemoSecret } from './secrets.js';
import { projectRoot, serviceEntry, spawnService, type ServiceProcess } from './service-process.js';

const say = (line: string) => process.stdout.write(`[payment-triage] ${line}\n`);

/** The fields of a log line worth echoing after its message: the reason and what it concerns, then the correlation id. */
export function echoDetails(entry: Record<string, unknown>): string {
  const skip = new Set(['time', 'level', 'service', 'context', 'msg', 'correlationId', 'err', 'stack']);
  const parts = Object.entries(entry)
    .filter(([key, value]) => !skip.has(key) && value !== null && value !== undefined && typeof value !== 'object')
    .map(([key, value]) => `${key}=${String(value)}`);
  const err = entry.err as { message?: string } | undefined;
  if (err?.message) parts.push(`error=${err.message}`);
  if (typeof entry.correlationId === 'string') parts.push(`correlationId=${entry.correlationId}`);
  const text = parts.join(' ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function consoleEcho(service: string, log: fs.WriteStream) {
  return (line: string) => {
    log.write(`${line}\n`);
    try {
      const entry = JSON.parse(line) as Record<string, unknown> & { level?: string; msg?: string };
      if (entry.level === 'warn' || entry.level === 'error' || entry.level === 'fatal') {
        const details = echoDetails(entry);
        process.stdout.write(`[${service}] ${entry.level}: ${entry.msg ?? line}${details ? ` (${details})` : ''}\n`);
      }
    } catch {
      process.stdout.write(`[${service}] ${line}\n`);
    }
  };
}

/**
 * The demo help center's channel key: the one kept in .data/ while intake still accepts
 * it, else a new one (the client is created on the first start), kept for later starts.
 */
async function demoChannelKey(intakeUrl: string, adminToken: string, kept: string | undefined, dataDir: string): Promise<string> {
  if (kept) {
    // A guard answers before validation: 400 for the empty report means the key was accepted.
    const probe = await fetch(`${intakeUrl}/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kept}`, 'content-type': 'application/json' },
      body: '{}',
    });
    if (probe.status === 400) return kept;
  }
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const created = await fetch(`${intakeUrl}/v1/admin/channel-clients`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name: 'demo-help-center', kind: 'HELP_CENTER' }),
  });
  let secret: string;
  if (created.status === 201) {
    secret = ((await created.json()) as { key: { secret: string } }).key.secret;
  } else if (created.status === 409) {
    const key = await fetch(`${intakeUrl}/v1/admin/channel-clients/demo-help-center/keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ label: 'npm start' }),
    });
    if (key.status !== 201) throw new Error(`issuing a key for the demo help center failed: HTTP ${key.status}`);
    secret = ((await key.json()) as { secret: string }).secret;
  } else {
    throw new Error(`creating the demo help center's channel client failed: HTTP ${created.status}`);
  }
  saveIssuedDemoSecret(dataDir, 'channelKey', secret);
  return secret;
}

/** `npm start`: infrastructure, the three services, the demo seed; Ctrl-C stops it all. */
export async function start(): Promise<number> {
  const root = projectRoot();
  const dataDir = path.join(root, '.data');
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const env = process.env;
  const ports = {
    intake: Number(env.INTAKE_PORT ?? 3000),
    reconciliation: Number(env.RECONCILIATION_PORT ?? 3001),
    settlement: Number(env.SETTLEMENT_PORT ?? 3002),
  };
  let infra: Infrastructure | null = null;
  const services: ServiceProcess[] = [];
  let shuttingDown = false;
  let running = false;

  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say('shutting down...');
    for (const service of [...services].reverse()) {
      say(`stopping ${service.name}`);
      await service.stop('SIGTERM');
    }
    if (infra) await infra.stop();
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // A failure outside the awaited steps (an 'error' event nobody listened to, a stray
  // rejection) still ends in one sentence and a clean stop, never a stack trace.
  const fail = (error: unknown) => {
    process.stderr.write(`[payment-triage] ${running ? 'stopping after an unexpected error' : 'cannot start'}: ${describeFailure(error)}\n`);
    void shutdown(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // If the launcher's parent dies without passing on a signal, stop rather than linger.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(1);
  }, 1000).unref();

  try {
    await requirePortFree(ports.intake, 'intake', 'INTAKE_PORT');
    await requirePortFree(ports.reconciliation, 'reconciliation', 'RECONCILIATION_PORT');
    await requirePortFree(ports.settlement, 'settlement', 'SETTLEMENT_PORT');
    infra = await startInfrastructure({ mode: 'persistent', root, databaseName: 'payment_triage', say, env });
    const secrets = demoSecrets(dataDir);
    const common: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: infra.databaseUrl,
      KAFKA_BROKERS: infra.kafkaBrokers,
      INTAKE_PORT: String(ports.intake),
      RECONCILIATION_PORT: String(ports.reconciliation),
      SETTLEMENT_PORT: String(ports.settlement),
      VAULT_KEY: env.VAULT_KEY ?? secrets.vaultKey,
      ADMIN_TOKENS: env.ADMIN_TOKENS ?? `demo-operator:${secrets.adminToken}`,
      // The simulator's admin calls present this one.
      ADMIN_TOKEN: env.ADMIN_TOKEN ?? secrets.adminToken,
      BUYER_TOKEN_SECRET: env.BUYER_TOKEN_SECRET ?? secrets.buyerTokenSecret,
      BUYER_TOKEN_ISSUER: env.BUYER_TOKEN_ISSUER ?? 'demo-shop',
      CONSOLE_RECONCILIATION_URL: `http://127.0.0.1:${ports.reconciliation}`,
      CONSOLE_ORIGINS: `http://127.0.0.1:${ports.intake},http://localhost:${ports.intake}`,
    };
    // Each service gets only the agent-token key it needs: intake signs, reconciliation verifies.
    const { AGENT_TOKEN_PRIVATE_KEY: givenPrivateKey, AGENT_TOKEN_PUBLIC_KEY: givenPublicKey, ...shared } = common;
    if (!givenPrivateKey !== !givenPublicKey) {
      throw new PrerequisiteError(
        'set both AGENT_TOKEN_PRIVATE_KEY and AGENT_TOKEN_PUBLIC_KEY (one key pair), or neither to use the demo pair kept in .data/demo-secrets.json.',
      );
    }
    const ownEnv: Record<'reconciliation' | 'settlement' | 'intake', NodeJS.ProcessEnv> = {
      intake: { ...shared, AGENT_TOKEN_PRIVATE_KEY: givenPrivateKey ?? secrets.agentTokenPrivateKey },
      reconciliation: { ...shared, AGENT_TOKEN_PUBLIC_KEY: givenPublicKey ?? secrets.agentTokenPublicKey },
      settlement: shared,
    };
    for (const name of ['reconciliation', 'settlement', 'intake'] as const) {
      say(`starting ${name} on port ${ports[name]}`);
      const log = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
      const service = await spawnService({ name, env: ownEnv[name], url: `http://127.0.0.1:${ports[name]}`, onLine: consoleEcho(name, log) });
      services.push(service);
      service.child.once('exit', (code) => {
        if (!shuttingDown) {
          say(`${name} exited unexpectedly (code ${code}); see ${path.join(logDir, `${name}.log`)}`);
          void shutdown(1);
        }
      });
    }

    say('seeding demo data (merchants, SKUs with card keys in stock, orders in different states, settlement batches)');
    const seed = spawnSync(process.execPath, [serviceEntry('simulator'), 'seed'], {
      env: { ...shared, RECONCILIATION_URL: `http://127.0.0.1:${ports.reconciliation}`, SETTLEMENT_URL: `http://127.0.0.1:${ports.settlement}` },
      encoding: 'utf8',
    });
    if (seed.status !== 0) throw new Error(`seeding failed: ${seed.stderr.trim()}`);
    const seeded = JSON.parse(seed.stdout.trim().split('\n').pop()!) as {
      orders: { orderNumber: string; accountId: string; amountMinor: string; currency: string; channel: string; story: string }[];
      cardKeysImported: Record<string, number>;
      merchantApiKey: { merchantId: string; merchantName: string; key: string };
    };
    const merchantKey = seeded.merchantApiKey;
    const settlementUrl = `http://127.0.0.1:${ports.settlement}`;

    // Demo agents; an existing one keeps the password it was created with (kept in .data/).
    for (const agent of [
      { username: 'alice', displayName: 'Alice (agent)', role: 'agent', password: secrets.agentPassword },
      { username: 'sam', displayName: 'Sam (supervisor)', role: 'supervisor', password: secrets.supervisorPassword },
    ]) {
      const res = await fetch(`http://127.0.0.1:${ports.intake}/v1/admin/agents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${common.ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(agent),
      });
      if (res.status === 409) {
        // It exists from an earlier run: make sure the password printed below is the one that works.
        const reset = await fetch(`http://127.0.0.1:${ports.intake}/v1/admin/agents/${agent.username}/password`, {
          method: 'POST',
          headers: { authorization: `Bearer ${common.ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ password: agent.password }),
        });
        if (reset.status !== 204) throw new Error(`resetting the demo agent ${agent.username}'s password failed: HTTP ${reset.status}`);
      } else if (res.status !== 201) throw new Error(`creating the demo agent ${agent.username} failed: HTTP ${res.status}`);
    }

    const channelKey = await demoChannelKey(`http://127.0.0.1:${ports.intake}`, common.ADMIN_TOKEN!, secrets.channelKey, dataDir);

    const lost = seeded.orders.find((o) => o.orderNumber === 'DEMO-1002')!;
    const lines = [
      '',
      'payment-triage is running:',
      `  intake          http://127.0.0.1:${ports.intake}          (POST /v1/incidents; agents: GET /v1/incidents[/:id], /console)`,
      `  reconciliation  http://127.0.0.1:${ports.reconciliation}          (agents: GET /v1/decisions/:incidentId; buyers: POST /v1/card-keys/reveal)`,
      `  settlement      ${settlementUrl}          (GET /v1/payments[/:paymentReference], /v1/payments/summary, /v1/payments/export.csv)`,
      `  each also serves /healthz, /readyz, /metrics and its OpenAPI document at /openapi.json`,
      `  Kafka           ${infra.kafkaBrokers}${infra.embedded.kafka ? ' (embedded)' : ''}`,
      `  PostgreSQL      ${infra.databaseUrl.replace(/:[^:@/]+@/, ':****@')}${infra.embedded.postgres ? ' (embedded)' : ''}`,
      `  logs            ${logDir}`,
      '',
      'demo orders:',
      ...seeded.orders.map((o) => `  ${o.orderNumber}  ${o.accountId.padEnd(11)} ${o.amountMinor.padStart(6)} ${o.currency}  ${o.story}`),
      '',
      'channel client key of the demo help center (reports, tickets and reveals are called through a channel):',
      `  CHANNEL=${channelKey}`,
      `a buyer token for ${lost.accountId}, as the shop would sign it for a signed-in buyer (valid 10 minutes):`,
      `  BUYER=$(npm run -s buyer-token -- --account ${lost.accountId})`,
      'try: the buyer reports the order whose payment callback was lost, follows the ticket, reads the re-issued key',
      `  curl -s -X POST http://127.0.0.1:${ports.intake}/v1/incidents -H 'content-type: application/json' -H "Authorization: Bearer $CHANNEL" -H "X-Buyer-Token: $BUYER" \\`,
      `    -d '{"orderNumber":"${lost.orderNumber}","amountMinor":"${lost.amountMinor}","currency":"${lost.currency}","paidAt":"${new Date().toISOString().slice(0, 19)}Z","channel":"${lost.channel}"}'`,
      `  curl -s http://127.0.0.1:${ports.intake}/v1/tickets/<ticketNumber> -H "Authorization: Bearer $CHANNEL" -H "X-Buyer-Token: $BUYER"`,
      `  curl -s -X POST http://127.0.0.1:${ports.reconciliation}/v1/card-keys/reveal -H 'content-type: application/json' -H "Authorization: Bearer $CHANNEL" -H "X-Buyer-Token: $BUYER" -d '{"orderNumber":"${lost.orderNumber}"}'`,
      '',
      `merchant API key of ${merchantKey.merchantName} (${merchantKey.merchantId}), issued for this run; the previous run's demo key is revoked:`,
      `  ${merchantKey.key}`,
      "try: where is the merchant's money? (PAY-DEMO-1001 is settled, PAY-DEMO-1002 still awaits its settlement batch)",
      `  curl -s ${settlementUrl}/v1/payments -H 'Authorization: Bearer ${merchantKey.key}'`,
      `  curl -s ${settlementUrl}/v1/payments/PAY-DEMO-1001 -H 'Authorization: Bearer ${merchantKey.key}'`,
      '',
      `agent console: http://127.0.0.1:${ports.intake}/console`,
      `  agent       alice / ${secrets.agentPassword}`,
      `  supervisor  sam / ${secrets.supervisorPassword}`,
      '  (escalated demo orders show up in the queue once reported: DEMO-1004, DEMO-1005, DEMO-1006)',
      '',
      'Press Ctrl-C to stop everything.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    running = true;
    return await new Promise<number>(() => undefined);
  } catch (error) {
    process.stderr.write(`[payment-triage] cannot start: ${describeFailure(error)}\n`);
    await shutdown(1);
    return 1;
  }
}
