import type { LoggerService } from '@nestjs/common';
import { currentCorrelationId } from './correlation.js';
import { maskPhonesInText, redact } from './redact.js';

const LEVELS = { debug: 10, verbose: 10, info: 20, log: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = keyof typeof LEVELS;

/**
 * Nest logger that writes one JSON object per line to stdout, with the service name,
 * the correlation id of the current scope, and secrets and phone numbers scrubbed.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    private readonly service: string,
    level: string = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.threshold = LEVELS[(level as Level) in LEVELS ? (level as Level) : 'info'];
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', message, rest);
  }

  private emit(level: Level, message: unknown, rest: unknown[]): void {
    if (LEVELS[level] < this.threshold) return;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: level === 'log' ? 'info' : level,
      service: this.service,
    };
    const correlationId = currentCorrelationId();
    if (correlationId) entry.correlationId = correlationId;
    // Nest passes the context (class name) as the last string argument.
    const args = [...rest];
    if (args.length > 0 && typeof args[args.length - 1] === 'string') entry.context = args.pop();
    if (typeof message === 'string') entry.msg = maskPhonesInText(message);
    else if (message instanceof Error) {
      entry.msg = maskPhonesInText(message.message);
      entry.err = { name: message.name, stack: message.stack ? maskPhonesInText(message.stack) : undefined };
    } else if (message && typeof message === 'object') Object.assign(entry, redact(message));
    else entry.msg = String(message);
    for (const arg of args) {
      if (typeof arg === 'string' && arg.includes('\n    at ')) entry.stack = maskPhonesInText(arg);
      else if (arg && typeof arg === 'object') Object.assign(entry, redact(arg));
      else if (arg !== undefined) entry.detail = redact(arg);
    }
    this.write(JSON.stringify(entry));
  }
}
