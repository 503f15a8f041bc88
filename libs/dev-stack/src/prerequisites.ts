import { spawnSync } from 'node:child_process';
import net from 'node:net';

/** A missing prerequisite, described in one sentence that says how to fix it. */
export class PrerequisiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrerequisiteError';
  }
}

/** The first line of an error's message: what went wrong, without a stack or a tool's full output. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'unknown error'
  );
}

/** Major version of the `java` on PATH, or null when there is none. */
export function javaMajorVersion(env: NodeJS.ProcessEnv = process.env): number | null {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (result.error || result.status !== 0) return null;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return null;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

export function requireJava(minimum = 17, env: NodeJS.ProcessEnv = process.env): void {
  const major = javaMajorVersion(env);
  if (major === null) {
    throw new PrerequisiteError(
      `no Java runtime found: the embedded Kafka broker needs a JDK ${minimum}+ on PATH (install one, e.g. apt-get install openjdk-17-jdk-headless), or set KAFKA_BROKERS to use an existing broker.`,
    );
  }
  if (major < minimum) {
    throw new PrerequisiteError(
      `Java ${major} found but the embedded Kafka broker needs Java ${minimum}+; install a newer JDK, or set KAFKA_BROKERS to use an existing broker.`,
    );
  }
}

export function requireMaven(env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8', env });
  if (result.error || result.status !== 0) {
    throw new PrerequisiteError(
      'Maven (mvn) not found: it is needed once to fetch the Apache Kafka broker artifacts (install it, e.g. apt-get install maven), or set KAFKA_BROKERS to use an existing broker.',
    );
  }
}

/** True when nothing listens on host:port. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function requirePortFree(port: number, what: string, variable: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new PrerequisiteError(`port ${port} (${what}) is already in use; stop whatever holds it, or set ${variable} to another port.`);
  }
}

/** A free TCP port chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const KAFKA_SECURITY_VARIABLES = [
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
];

/**
 * The embedded broker listens in plaintext without authentication: Kafka security
 * variables without KAFKA_BROKERS would make every client fail against it, so say so first.
 */
export function requireNoKafkaSecurityForEmbeddedBroker(env: NodeJS.ProcessEnv = process.env): void {
  const set = KAFKA_SECURITY_VARIABLES.filter((name) => env[name] && !(name === 'KAFKA_SSL' && env[name] === 'false'));
  if (set.length > 0) {
    throw new PrerequisiteError(
      `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set, but the embedded Kafka broker speaks plaintext without SASL; set KAFKA_BROKERS to the secured brokers, or unset ${set.length === 1 ? 'it' : 'them'}.`,
    );
  }
}
