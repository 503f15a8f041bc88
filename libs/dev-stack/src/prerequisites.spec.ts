import net from 'node:net';
import {
  PrerequisiteError,
  describeFailure,
  isPortFree,
  requireJava,
  requireMaven,
  requireNoKafkaSecurityForEmbeddedBroker,
  requirePortFree,
} from './prerequisites.js';

describe('start-up prerequisites', () => {
  const noTools = { ...process.env, PATH: '/nonexistent' };

  it('says in one sentence that Java is missing and how to do without it', () => {
    expect(() => requireJava(17, noTools)).toThrow(PrerequisiteError);
    expect(() => requireJava(17, noTools)).toThrow(/no Java runtime found.*KAFKA_BROKERS/);
  });

  it('says in one sentence that Maven is missing', () => {
    expect(() => requireMaven(noTools)).toThrow(/Maven \(mvn\) not found.*KAFKA_BROKERS/);
  });

  it('refuses Kafka security variables for the plaintext embedded broker, naming them', () => {
    expect(() => requireNoKafkaSecurityForEmbeddedBroker({ KAFKA_SSL: 'false', KAFKA_SSL_REJECT_UNAUTHORIZED: 'true' })).not.toThrow();
    expect(() => requireNoKafkaSecurityForEmbeddedBroker({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: 'pw-zz' })).toThrow(
      'KAFKA_SSL, KAFKA_SASL_MECHANISM, KAFKA_SASL_PASSWORD are set, but the embedded Kafka broker speaks plaintext without SASL; set KAFKA_BROKERS to the secured brokers, or unset them.',
    );
  });

  it('names the port that is taken and the variable that moves it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      expect(await isPortFree(port)).toBe(false);
      await expect(requirePortFree(port, 'intake', 'INTAKE_PORT')).rejects.toThrow(
        `port ${port} (intake) is already in use; stop whatever holds it, or set INTAKE_PORT to another port.`,
      );
    } finally {
      server.close();
    }
  });

  it("reduces any failure to its first line, never a stack or a tool's whole output", () => {
    const spawnFailure = Object.assign(new Error('spawn /root/x/initdb EACCES'), { code: 'EACCES' });
    expect(describeFailure(spawnFailure)).toBe('spawn /root/x/initdb EACCES');
    expect(describeFailure(new Error('\n  seeding failed: simulator: no broker\n    at seed (seed.js:1:1)\n'))).toBe('seeding failed: simulator: no broker');
    expect(describeFailure('a thrown string')).toBe('a thrown string');
  });
});
