import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run channels -- <command> [options]
  list                                        the channel clients and their keys (never secrets)
  create --name <name> --kind <kind> [--label <text>]
                                              registers a channel (kind: HELP_CENTER, CHAT_BOT, PHONE_DESK, OTHER)
                                              and prints its first key, once
  create-key --client <id|name> [--label <text>]   a further key for a client, printed once
  rotate --client <id|name> --key <keyId>     a new key; the old one is refused from then on
  revoke --client <id|name> --key <keyId>     the key is refused from the next request on
Talks to intake's admin API at INTAKE_URL (default http://127.0.0.1:3000) with ADMIN_TOKEN
(default: the demo's, from .data/demo-secrets.json); every change is audited under that
credential's name.`;

class UsageError extends Error {}

function adminToken(): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = path.join(process.cwd(), '.data', 'demo-secrets.json');
  if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { adminToken: string }).adminToken;
  throw new UsageError('ADMIN_TOKEN is not set and there are no demo secrets in .data/ (run `npm start` first, or set ADMIN_TOKEN)');
}

async function call(method: string, route: string, body?: unknown): Promise<unknown> {
  const base = process.env.INTAKE_URL ?? 'http://127.0.0.1:3000';
  let res: Response;
  try {
    res = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new Error(`cannot reach intake at ${base} (${(error as Error).message}); is it running? (INTAKE_URL)`, { cause: error });
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) throw new Error(`intake answered ${res.status}: ${typeof parsed.message === 'string' ? parsed.message : text}`);
  return parsed;
}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, kind: { type: 'string' }, label: { type: 'string' }, client: { type: 'string' }, key: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const client = () => encodeURIComponent(required(values, 'client'));
  switch (command) {
    case 'list': {
      const { data } = (await call('GET', '/v1/admin/channel-clients')) as {
        data: { id: string; name: string; kind: string; keys: { id: string; prefix: string; status: string; label: string | null }[] }[];
      };
      for (const c of data) {
        process.stdout.write(`${c.name} (${c.kind}) ${c.id}\n`);
        for (const k of c.keys) process.stdout.write(`  key ${k.id} ${k.prefix}… ${k.status}${k.label ? ` "${k.label}"` : ''}\n`);
      }
      if (data.length === 0) process.stdout.write('no channel clients yet\n');
      return 0;
    }
    case 'create': {
      const created = (await call('POST', '/v1/admin/channel-clients', {
        name: required(values, 'name'),
        kind: required(values, 'kind'),
        ...(values.label ? { keyLabel: values.label } : {}),
      })) as { client: { id: string; name: string }; key: { id: string; secret: string } };
      process.stderr.write(
        `created channel client ${created.client.name} (${created.client.id}) with key ${created.key.id}; store the key now, it is shown only once:\n`,
      );
      process.stdout.write(`${created.key.secret}\n`);
      return 0;
    }
    case 'create-key': {
      const key = (await call('POST', `/v1/admin/channel-clients/${client()}/keys`, values.label ? { label: values.label } : {})) as {
        id: string;
        secret: string;
      };
      process.stderr.write(`created key ${key.id}; store it now, it is shown only once:\n`);
      process.stdout.write(`${key.secret}\n`);
      return 0;
    }
    case 'rotate': {
      const key = (await call('POST', `/v1/admin/channel-clients/${client()}/keys/${encodeURIComponent(required(values, 'key'))}/rotate`)) as {
        id: string;
        secret: string;
      };
      process.stderr.write(`key ${values.key} is revoked; its replacement ${key.id} is shown only once:\n`);
      process.stdout.write(`${key.secret}\n`);
      return 0;
    }
    case 'revoke': {
      const key = (await call('POST', `/v1/admin/channel-clients/${client()}/keys/${encodeURIComponent(required(values, 'key'))}/revoke`)) as {
        id: string;
        status: string;
      };
      process.stdout.write(`key ${key.id} is ${key.status}\n`);
      return 0;
    }
    case undefined:
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`channels: ${(error as Error).message}\n${usage ? `${USAGE}\n` : ''}`);
  process.exitCode = usage ? 2 : 1;
}
