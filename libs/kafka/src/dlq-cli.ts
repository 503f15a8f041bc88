import 'reflect-metadata';
import { loadKafkaSecurity } from '@pt/config';
import type { LoggerService } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeadLetterStore, dlqSourceTopics, type DeadLetter, type DeadLetterFilter } from './dead-letters.js';
import { createKafkaClient } from './kafka-client.js';

const USAGE = `usage: npm run dlq -- <command> [filters]
  list                      the dead letters that match, oldest first
  show <id>...              one or more dead letters in full: headers, key and value
  replay [--dry-run]        publish each matching message again to its source topic
filters (all optional, combined with AND):
  --topic <topic>           source topic, e.g. incident.reported.v1 (repeatable; default: every topic)
  --since <time>            dead-lettered at or after (ISO 8601 date or timestamp)
  --until <time>            dead-lettered before
  --reason <reason>         x-dlq-reason: MALFORMED_JSON, UNSUPPORTED_SCHEMA_VERSION, INVALID_PAYLOAD, MERCHANT_MISMATCH, HANDLER_FAILED, …
  --group <consumer group>  the consumer group that dead-lettered it
  --id <id>                 one dead letter (repeatable), as list prints it: <topic>:<partition>:<offset>
  --json                    list and show print JSON
Replay sends the original key, value and headers (without the x-dlq-* ones) to the source
topic; a message dead-lettered by several consumer groups is sent once. Consumers skip
what they already applied, so replaying again is harmless.
Reads KAFKA_BROKERS and KAFKA_TOPIC_PREFIX; without KAFKA_BROKERS it uses the broker of a
local \`npm start\`. Exit status: 0 done, 1 Kafka failed, 2 usage.`;

const stderrLogger: LoggerService = {
  log: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  error: (line: unknown) => process.stderr.write(`dlq: ${JSON.stringify(line)}\n`),
};

class UsageError extends Error {}

function brokers(): string {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  const local = `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`;
  if (fs.existsSync(path.join(process.cwd(), '.data')))
    process.stderr.write(`dlq: KAFKA_BROKERS is not set; using the local \`npm start\` broker at ${local}\n`);
  else process.stderr.write(`dlq: KAFKA_BROKERS is not set; trying ${local}\n`);
  return local;
}

function time(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) throw new UsageError(`--${flag} must be an ISO 8601 date or timestamp, got "${value}"`);
  return at;
}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        topic: { type: 'string', multiple: true },
        since: { type: 'string' },
        until: { type: 'string' },
        reason: { type: 'string' },
        group: { type: 'string' },
        id: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  const { values } = parsed;
  if (values.help) return null;
  if (command !== 'list' && command !== 'show' && command !== 'replay')
    throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  if (command !== 'show' && rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (command === 'show' && rest.length === 0) throw new UsageError('show needs at least one id, as list prints it');
  if (command !== 'replay' && values['dry-run']) throw new UsageError('--dry-run belongs to replay');
  const known = new Set(dlqSourceTopics());
  const ids = [...(values.id ?? []), ...(command === 'show' ? rest : [])];
  for (const id of ids) {
    if (!/^[^:]+:\d+:\d+$/.test(id) || !known.has(id.split(':')[0])) throw new UsageError(`"${id}" is not a dead-letter id (<topic>:<partition>:<offset>)`);
  }
  const topics = (values.topic ?? []).map((t) => t.replace(/\.dlq$/, ''));
  for (const topic of topics) if (!known.has(topic)) throw new UsageError(`unknown topic "${topic}"; one of: ${[...known].join(', ')}`);
  const filter: DeadLetterFilter = {
    topics: [...new Set([...topics, ...ids.map((id) => id.split(':')[0])])].filter((t) => topics.length === 0 || topics.includes(t)),
    since: time('since', values.since),
    until: time('until', values.until),
    reason: values.reason,
    consumerGroup: values.group,
    ids: ids.length ? ids : undefined,
  };
  return { command, filter, dryRun: values['dry-run'] ?? false, json: values.json ?? false };
}

interface LetterSummary {
  id: string;
  deadLetteredAt: string;
  reason: string | null;
  attempts: string | null;
  consumerGroup: string | null;
  source: string;
  key: string | null;
  eventId: string | null;
  type: string | null;
  error: string | null;
}

function summary(letter: DeadLetter): LetterSummary {
  let eventId: string | undefined;
  let type: string | undefined;
  try {
    const envelope = JSON.parse(letter.value?.toString() ?? '') as { eventId?: unknown; type?: unknown };
    eventId = typeof envelope.eventId === 'string' ? envelope.eventId : undefined;
    type = typeof envelope.type === 'string' ? envelope.type : undefined;
  } catch {
    // Malformed JSON is a reason to be here; the value is shown by `show`.
  }
  return {
    id: letter.id,
    deadLetteredAt: letter.deadLetteredAt.toISOString(),
    reason: letter.reason,
    attempts: letter.attempts,
    consumerGroup: letter.consumerGroup,
    source: `${letter.sourceTopic}:${letter.sourcePartition ?? '?'}:${letter.sourceOffset ?? '?'}`,
    key: letter.key?.toString() ?? null,
    eventId: eventId ?? null,
    type: type ?? null,
    error: letter.error,
  };
}

function describeFilter(filter: DeadLetterFilter): string {
  const parts = [
    filter.topics?.length ? `topic ${filter.topics.join(', ')}` : 'every topic',
    filter.since && `since ${filter.since.toISOString()}`,
    filter.until && `until ${filter.until.toISOString()}`,
    filter.reason && `reason ${filter.reason}`,
    filter.consumerGroup && `group ${filter.consumerGroup}`,
    filter.ids?.length && `id ${filter.ids.join(', ')}`,
  ];
  return parts.filter(Boolean).join(', ');
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`dlq: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (!args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
  const kafka = createKafkaClient({ brokers: brokers().split(','), clientId: 'dlq-cli', security: loadKafkaSecurity(), logger: stderrLogger });
  const store = new DeadLetterStore(kafka, prefix);
  const out = (line = '') => process.stdout.write(`${line}\n`);
  try {
    if (args.command === 'list') {
      const letters = await store.list(args.filter);
      if (args.json) out(JSON.stringify(letters.map(summary), null, 2));
      else {
        for (const letter of letters) {
          const s = summary(letter);
          out(
            `${s.id}  ${s.deadLetteredAt}  ${s.reason ?? '-'}  attempts ${s.attempts ?? '-'}  group ${s.consumerGroup ?? '-'}  key ${s.key ?? '-'}  ${s.type ?? ''} ${s.eventId ?? ''}`.trimEnd(),
          );
          if (s.error) out(`    ${s.error.slice(0, 200)}`);
        }
        out(`${letters.length} dead letter${letters.length === 1 ? '' : 's'} (${describeFilter(args.filter)})`);
      }
      return 0;
    }
    if (args.command === 'show') {
      const letters = await store.list(args.filter);
      const full = letters.map((letter) => ({
        ...summary(letter),
        headers: Object.fromEntries(Object.entries(letter.headers).map(([k, v]) => [k, v.toString()])),
        value: letter.value?.toString() ?? null,
      }));
      if (args.json) out(JSON.stringify(full, null, 2));
      else for (const letter of full) out(JSON.stringify(letter, null, 2));
      const missing = (args.filter.ids ?? []).filter((id) => !letters.some((l) => l.id === id));
      if (missing.length) process.stderr.write(`dlq: no dead letter ${missing.join(', ')}\n`);
      return missing.length ? 1 : 0;
    }
    const result = await store.replay(args.filter, { dryRun: args.dryRun });
    for (const letter of result.replayed) {
      out(
        `${args.dryRun ? 'would replay' : 'replayed'} ${letter.id} -> ${letter.sourceTopic} (key ${letter.key?.toString() ?? '-'}, ${letter.reason ?? 'no reason'})`,
      );
    }
    out(
      `${args.dryRun ? 'dry run: would replay' : 'replayed'} ${result.replayed.length} message${result.replayed.length === 1 ? '' : 's'} of ${result.matched} dead letter${result.matched === 1 ? '' : 's'} matching ${describeFilter(args.filter)}` +
        (result.skippedCopies ? ` (${result.skippedCopies} copies from other consumer groups sent once)` : '') +
        (prefix ? ` [topic prefix ${prefix}]` : ''),
    );
    return 0;
  } catch (error) {
    process.stderr.write(`dlq: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
