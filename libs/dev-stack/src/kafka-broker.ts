import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { KafkaSecurity } from '@pt/config';
import { createKafkaClient } from '@pt/kafka';
import { PrerequisiteError, requireJava, requireMaven, requirePortFree } from './prerequisites.js';

/** The Apache Kafka release the embedded broker runs. */
export const KAFKA_VERSION = '4.1.1';
const SCALA_VERSION = '2.13';
const LOG4J_VERSION = '2.24.3';

export interface KafkaBrokerOptions {
  /** Where the broker's artifacts are cached (shared across runs). */
  cacheDir: string;
  /** Where the broker keeps its log segments and metadata. */
  dataDir: string;
  port: number;
  controllerPort: number;
  heapMb: number;
  logFile: string;
  /** Progress lines for the person waiting. */
  say: (line: string) => void;
  /** A SASL_SSL listener with SCRAM-SHA-512 on `port` instead of a plaintext one. */
  saslSsl?: KafkaBrokerSaslSsl;
}

/**
 * What a SASL_SSL broker needs: its TLS key material, the SCRAM users written into its
 * storage when it is formatted, and how the readiness probe connects. The broker's own
 * connections to its listener authenticate as the first user.
 */
export interface KafkaBrokerSaslSsl {
  /** PKCS12 keystore with the broker's key and certificate chain. */
  keystoreFile: string;
  /** PKCS12 truststore with the CA that signed that certificate. */
  truststoreFile: string;
  /** Password of both stores (and of the key in the keystore). */
  storePassword: string;
  scramUsers: { name: string; password: string }[];
  /**
   * When set, ACLs are enforced (StandardAuthorizer): these users may do anything, every
   * other user only what ACLs grant it. The broker's own user is always a super user.
   */
  superUsers?: string[];
  /** The probe's client security: TLS trusting the CA, SASL as one of the users. */
  probe: KafkaSecurity;
}

export interface RunningKafka {
  brokers: string;
  stop: () => Promise<void>;
  process: ChildProcess;
}

function pom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>payment-triage.local</groupId>
  <artifactId>embedded-kafka-broker</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_${SCALA_VERSION}</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>${LOG4J_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

/**
 * Makes sure the broker's jars are in the cache, fetching them with Maven the first
 * time only. Returns the folder that holds them.
 */
export function ensureKafkaArtifacts(cacheDir: string, say: (line: string) => void): string {
  const home = path.join(cacheDir, `kafka-${KAFKA_VERSION}`);
  const libs = path.join(home, 'libs');
  const marker = path.join(home, '.complete');
  if (fs.existsSync(marker)) return libs;
  requireMaven();
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, 'pom.xml'), pom());
  say(`fetching the Apache Kafka ${KAFKA_VERSION} broker artifacts with mvn into ${home} (first start only)...`);
  const result = spawnSync(
    'mvn',
    ['-B', '-q', '-f', path.join(home, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-5).join(' | ');
    throw new PrerequisiteError(
      `mvn could not fetch the Kafka broker artifacts (${tail}); check that Maven can reach its repository, or set KAFKA_BROKERS to use an existing broker.`,
    );
  }
  const jars = fs.readdirSync(libs).filter((f) => f.endsWith('.jar'));
  if (!jars.some((j) => j.startsWith(`kafka_${SCALA_VERSION}-`))) {
    throw new PrerequisiteError(`the Kafka broker artifacts in ${libs} are incomplete; delete that folder and start again.`);
  }
  fs.writeFileSync(marker, `${new Date().toISOString()} ${jars.length} jars\n`);
  say(`Kafka broker artifacts cached (${jars.length} jars).`);
  return libs;
}

/** Java properties values escape backslashes; the JAAS line quotes its values. */
const propertyValue = (value: string) => value.replace(/\\/g, '\\\\');

function listenerProperties(options: KafkaBrokerOptions): string[] {
  const secured = options.saslSsl;
  if (!secured) {
    return [
      `listeners=PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${options.port}`,
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    ];
  }
  const self = secured.scramUsers[0];
  if (!self) throw new Error('a SASL_SSL broker needs at least one SCRAM user (its own)');
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${self.name}" password="${self.password}";`;
  // Clients and the broker itself use the SASL_SSL listener; the controller listener stays
  // on loopback in plaintext, used by this single process only.
  return [
    `listeners=SASL_SSL://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${options.port}`,
    'inter.broker.listener.name=SASL_SSL',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${propertyValue(jaas)}`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${propertyValue(secured.keystoreFile)}`,
    `ssl.keystore.password=${propertyValue(secured.storePassword)}`,
    `ssl.key.password=${propertyValue(secured.storePassword)}`,
    'ssl.truststore.type=PKCS12',
    `ssl.truststore.location=${propertyValue(secured.truststoreFile)}`,
    `ssl.truststore.password=${propertyValue(secured.storePassword)}`,
    'ssl.client.auth=none',
    ...(secured.superUsers
      ? [
          'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
          // The broker reaches its own controller over the plaintext loopback listener, as ANONYMOUS.
          `super.users=${['ANONYMOUS', self.name, ...secured.superUsers].map((name) => `User:${name}`).join(';')}`,
        ]
      : []),
  ];
}

function serverProperties(options: KafkaBrokerOptions): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${options.controllerPort}`,
    'controller.listener.names=CONTROLLER',
    ...listenerProperties(options),
    `log.dirs=${path.join(options.dataDir, 'logs')}`,
    'num.partitions=1',
    // Topics are created explicitly with their partition counts; never by a stray produce.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    'num.network.threads=2',
    'num.io.threads=4',
    '',
  ].join('\n');
}

function log4jProperties(logFile: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = FILE',
    `appender.file.fileName = ${logFile}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d{ISO8601}{UTC}Z] %p %m (%c)%n',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = FILE',
    'logger.kafka.name = org.apache.kafka',
    'logger.kafka.level = warn',
    'logger.kafkaserver.name = kafka',
    'logger.kafkaserver.level = info',
    '',
  ].join('\n');
}

async function waitForBroker(brokers: string, security: KafkaSecurity | undefined, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const kafka = createKafkaClient({ brokers: [brokers], clientId: 'broker-probe', security, retries: 0 });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
      throw new Error(`the Kafka broker exited with code ${child.exitCode} during start-up; last lines of ${logFile}:\n${tail}`);
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      await admin.disconnect();
      return;
    } catch {
      await admin.disconnect().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`the Kafka broker did not become ready within ${timeoutMs / 1000}s; see ${logFile}`);
}

/** Runs a single-node Apache Kafka broker in KRaft mode on the machine's JDK. */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<RunningKafka> {
  requireJava(17);
  await requirePortFree(options.port, 'embedded Kafka broker', 'KAFKA_PORT');
  await requirePortFree(options.controllerPort, 'embedded Kafka controller', 'KAFKA_CONTROLLER_PORT');
  const libs = ensureKafkaArtifacts(options.cacheDir, options.say);
  const classpath = `${libs}/*`;
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const propsFile = path.join(options.dataDir, 'server.properties');
  const log4jFile = path.join(options.dataDir, 'log4j2.properties');
  fs.writeFileSync(propsFile, serverProperties(options));
  fs.writeFileSync(log4jFile, log4jProperties(options.logFile));
  const java = ['-cp', classpath, `-Dlog4j2.configurationFile=${log4jFile}`];

  if (!fs.existsSync(path.join(options.dataDir, 'logs', 'meta.properties'))) {
    const id = spawnSync('java', [...java, 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' });
    const clusterId = id.stdout.trim().split('\n').pop()?.trim();
    if (id.status !== 0 || !clusterId) throw new Error(`could not create a Kafka cluster id: ${id.stderr}`);
    const scram = (options.saslSsl?.scramUsers ?? []).flatMap((u) => ['--add-scram', `SCRAM-SHA-512=[name=${u.name},password=${u.password}]`]);
    const format = spawnSync('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile, ...scram], { encoding: 'utf8' });
    if (format.status !== 0) throw new Error(`could not format the Kafka storage: ${format.stderr || format.stdout}`);
  }

  const child = spawn(
    'java',
    [
      `-Xms${Math.min(512, options.heapMb)}m`,
      `-Xmx${options.heapMb}m`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      ...java,
      'kafka.Kafka',
      propsFile,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: false },
  );
  // Never leave a broker behind if the launcher dies without stopping it.
  const orphanGuard = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', orphanGuard);
  const stderrLog = fs.createWriteStream(`${options.logFile}.stderr`, { flags: 'a' });
  child.stderr?.pipe(stderrLog);
  const brokers = `127.0.0.1:${options.port}`;
  try {
    await waitForBroker(brokers, options.saslSsl?.probe, child, options.logFile, 90_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    brokers,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const hard = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => {
          clearTimeout(hard);
          process.removeListener('exit', orphanGuard);
          stderrLog.end();
          resolve();
        });
        // SIGTERM lets the broker shut down cleanly and flush its logs.
        child.kill('SIGTERM');
      }),
  };
}
