import type { KafkaSecurity } from '@pt/config';
import { createKafkaClient, type KafkaClientOptions } from './kafka-client.js';

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string | number;
  /** kafkajs's name of the broker's error code. */
  type?: string;
  /** @platformatic/kafka's name of it. */
  apiId?: string;
  cause?: unknown;
  errors?: unknown[];
}

/**
 * The error and the errors it wraps: kafkajs wraps a socket error in one or two of its
 * own, and gathers per-topic errors of one request in an aggregate; @platformatic/kafka
 * gathers the attempts of a request in `errors`. The broker's error name is in `type`
 * either way (@platformatic/kafka calls it `apiId`).
 */
function chainOf(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown) => {
    if (!e || typeof e !== 'object' || chain.length >= 16 || seen.has(e)) return;
    seen.add(e);
    const like = e as ErrorLike;
    chain.push({ name: like.name, message: like.message, code: like.code, type: like.type ?? like.apiId });
    visit(like.cause);
    if (Array.isArray(like.errors)) like.errors.forEach(visit);
  };
  visit(error);
  return chain;
}

const CERTIFICATE_NOT_VERIFIED =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_REJECTED|CERT_SIGNATURE_FAILURE|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** Replaces the SASL password wherever it occurs; a message is never trusted to leave it out. */
export function withoutKafkaPassword(text: string, password: string | undefined): string {
  return password ? text.split(password).join('[redacted]') : text;
}

/**
 * One sentence for a failure to talk to Kafka that retrying cannot fix: the broker refused
 * the SASL credentials or mechanism, denied an operation (ACLs), or TLS did not verify or
 * was refused. Null for any other failure (a broker that is down is worth retrying).
 * Never contains the password.
 */
export function explainKafkaAccessFailure(error: unknown, brokers: string, security?: KafkaSecurity): string | null {
  const chain = chainOf(error);
  const detail = (e: ErrorLike) => withoutKafkaPassword((e.message ?? '').replace(/^Connection error: /, ''), security?.sasl?.password);
  const sasl = security?.sasl;

  const unsupported = chain.find(
    (e) => e.type === 'UNSUPPORTED_SASL_MECHANISM' || /mechanism is not supported|does not support the requested SASL mechanism/i.test(e.message ?? ''),
  );
  if (unsupported) {
    return `the Kafka broker at ${brokers} does not offer SASL mechanism ${sasl?.mechanism ?? '(none)'} (${detail(unsupported)}); set KAFKA_SASL_MECHANISM to one its listener enables.`;
  }
  const refused = chain.find(
    (e) =>
      e.name === 'KafkaJSSASLAuthenticationError' ||
      e.type === 'SASL_AUTHENTICATION_FAILED' ||
      e.code === 'PLT_KFK_AUTHENTICATION' ||
      /SASL.*authentication failed/i.test(e.message ?? ''),
  );
  if (refused) {
    return `the Kafka broker at ${brokers} refused the SASL credentials of user "${sasl?.username ?? ''}" (${sasl?.mechanism ?? 'no mechanism'}): ${detail(refused)}; check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, and that the user exists on the broker for this mechanism.`;
  }
  const denied = chain.find((e) => /_AUTHORIZATION_FAILED$/.test(e.type ?? '') || /not authorized to/i.test(e.message ?? ''));
  if (denied) {
    const who = sasl ? `user "${sasl.username}"` : 'this client';
    return `the Kafka broker at ${brokers} does not allow ${who} what start-up needs (${detail(denied)}); grant the ACLs of docs/kafka-security.md, or have an operator create the topics beforehand and grant DESCRIBE on them.`;
  }
  const unverified = chain.find((e) => CERTIFICATE_NOT_VERIFIED.test(String(e.code ?? '')));
  if (unverified) {
    const fix =
      unverified.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'connect through a host name the certificate holds (KAFKA_BROKERS), or reissue the certificate with that name'
        : security?.tls?.ca === undefined
          ? 'set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed it'
          : 'check that KAFKA_SSL_CA_FILE holds the CA that signed it and that the certificate is still valid';
    return `the TLS certificate of the Kafka broker at ${brokers} cannot be verified (${detail(unverified)}); ${fix}.`;
  }
  const handshake = chain.find(
    (e) => /^ERR_SSL_|^EPROTO$/.test(String(e.code ?? '')) || /SSL routines|before secure TLS connection was established/i.test(e.message ?? ''),
  );
  if (handshake) {
    return `the TLS handshake with the Kafka broker at ${brokers} failed (${detail(handshake)}); check that the listener speaks TLS (KAFKA_SSL) and, if it wants client certificates, KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE.`;
  }
  return null;
}

/**
 * One attempt to reach the brokers, without retries. Throws when the broker refuses the
 * credentials or TLS fails (retrying cannot help, so a start-up should stop at once);
 * any other failure is left to the caller's own retries.
 */
export async function checkKafkaAccess(options: Omit<KafkaClientOptions, 'retries' | 'logger'>): Promise<void> {
  const admin = createKafkaClient({ ...options, clientId: `${options.clientId}-access-check`, retries: 0 }).admin();
  try {
    await admin.connect();
  } catch (error) {
    if (explainKafkaAccessFailure(error, options.brokers.join(','), options.security)) throw error;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
