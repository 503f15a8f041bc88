import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A throw-away CA and a broker certificate signed by it, as files in one folder. */
export interface BrokerTlsMaterial {
  /** The CA's certificate as PEM: what a client trusts (KAFKA_SSL_CA_FILE). */
  caPemFile: string;
  /** PKCS12: the broker's key and its certificate chain. */
  keystoreFile: string;
  /** PKCS12: the CA, for the broker's own connections to its listener. */
  truststoreFile: string;
  storePassword: string;
}

function keytool(args: string[]): void {
  const result = spawnSync('keytool', args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`keytool ${args[0]} failed (status ${result.status ?? result.error?.message}): ${`${result.stdout}\n${result.stderr}`.trim()}`);
  }
}

/**
 * Makes a CA and a certificate for a broker on 127.0.0.1 (also named localhost) with the
 * JDK's keytool, valid for two days. Everything stays in `dir`.
 */
export function makeBrokerTlsMaterial(dir: string): BrokerTlsMaterial {
  fs.mkdirSync(dir, { recursive: true });
  const storePassword = randomBytes(12).toString('hex');
  const file = (name: string) => path.join(dir, name);
  const material: BrokerTlsMaterial = {
    caPemFile: file('ca.pem'),
    keystoreFile: file('broker.p12'),
    truststoreFile: file('truststore.p12'),
    storePassword,
  };
  const names = 'SAN=ip:127.0.0.1,dns:localhost';
  const common = ['-storetype', 'PKCS12', '-storepass', storePassword, '-keypass', storePassword];
  const key = ['-keyalg', 'RSA', '-keysize', '2048', '-validity', '2'];
  const ca = ['-keystore', file('ca.p12'), ...common];
  const broker = ['-keystore', material.keystoreFile, ...common];

  keytool(['-genkeypair', '-alias', 'ca', '-dname', 'CN=payment-triage test CA', '-ext', 'bc:c', ...key, ...ca]);
  keytool(['-exportcert', '-rfc', '-alias', 'ca', '-file', material.caPemFile, ...ca]);
  keytool(['-genkeypair', '-alias', 'broker', '-dname', 'CN=127.0.0.1', '-ext', names, ...key, ...broker]);
  keytool(['-certreq', '-alias', 'broker', '-file', file('broker.csr'), ...broker]);
  keytool(['-gencert', '-alias', 'ca', '-infile', file('broker.csr'), '-outfile', file('broker.pem'), '-rfc', '-ext', names, '-validity', '2', ...ca]);
  // The chain goes in CA first, so keytool can link the signed certificate to it.
  keytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', material.caPemFile, ...broker]);
  keytool(['-importcert', '-alias', 'broker', '-file', file('broker.pem'), ...broker]);
  keytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', material.caPemFile, '-keystore', material.truststoreFile, ...common]);
  return material;
}
