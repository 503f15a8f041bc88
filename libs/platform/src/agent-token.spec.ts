import { SignJWT } from 'jose';
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  AGENT_TOKEN_AUDIENCE,
  AGENT_TOKEN_ISSUER,
  AgentTokenSigner,
  AgentTokenVerifier,
  agentPrivateKeyProblem,
  agentPublicKeyProblem,
  type AgentClaims,
} from './agent-token.js';

const pem = (key: KeyObject, kind: 'private' | 'public') =>
  key.export(kind === 'private' ? { type: 'pkcs8', format: 'pem' } : { type: 'spki', format: 'pem' }).toString();

const ed = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const claims = (): AgentClaims => ({
  sid: crypto.randomUUID(),
  sub: crypto.randomUUID(),
  username: 'sam',
  role: 'supervisor',
  accessVersion: 3,
  exp: inAnHour(),
});

describe('agent tokens', () => {
  const signer = AgentTokenSigner.fromPem(pem(ed.privateKey, 'private'));
  const verifier = AgentTokenVerifier.fromPem(pem(ed.publicKey, 'public'));

  it.each([
    ['Ed25519', ed],
    ['P-256', p256],
  ])('a token signed with the %s private key verifies with the public key alone, claims intact', async (_name, pair) => {
    const given = claims();
    const token = await AgentTokenSigner.fromPem(pem(pair.privateKey, 'private')).sign(given);
    expect(token.split('.')).toHaveLength(3);
    expect(await AgentTokenVerifier.fromPem(pem(pair.publicKey, 'public')).verify(token)).toEqual(given);
  });

  it('the signer verifies its own tokens with the public half of its key', async () => {
    const given = claims();
    expect(await signer.verifier.verify(await signer.sign(given))).toEqual(given);
  });

  it('refuses a token signed with another key', async () => {
    const token = await AgentTokenSigner.fromPem(pem(other.privateKey, 'private')).sign(claims());
    expect(await verifier.verify(token)).toBeNull();
  });

  it('refuses an expired token', async () => {
    const token = await signer.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 1 });
    expect(await verifier.verify(token)).toBeNull();
    const fresh = await signer.sign(claims());
    expect(await verifier.verify(fresh, new Date(Date.now() + 2 * 3600_000))).toBeNull();
  });

  it.each([
    ['another issuer', 'someone-else', AGENT_TOKEN_AUDIENCE],
    ['another audience', AGENT_TOKEN_ISSUER, 'merchants'],
  ])('refuses a token of %s, even well signed', async (_name, issuer, audience) => {
    const token = await new SignJWT({ sid: crypto.randomUUID(), username: 'sam', role: 'supervisor', av: 1 })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(crypto.randomUUID())
      .setExpirationTime(inAnHour())
      .sign(ed.privateKey);
    expect(await verifier.verify(token)).toBeNull();
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const token = await signer.sign({ ...claims(), role: 'agent' });
    const [header, body, signature] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'supervisor' })).toString('base64url');
    expect(await verifier.verify(`${header}.${forged}.${signature}`)).toBeNull();
  });

  it('refuses an old pt1. HMAC token, an unsigned token and one "signed" with the public key as an HMAC secret', async () => {
    const body = Buffer.from(JSON.stringify(claims())).toString('base64url');
    const pt1 = `pt1.${body}.${createHmac('sha256', 'x'.repeat(32)).update(body).digest('base64url')}`;
    expect(await verifier.verify(pt1)).toBeNull();

    const jwtBody = Buffer.from(JSON.stringify({ ...claims(), iss: AGENT_TOKEN_ISSUER, aud: AGENT_TOKEN_AUDIENCE })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${jwtBody}.`;
    expect(await verifier.verify(none)).toBeNull();

    const hsHeader = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const hs = createHmac('sha256', pem(ed.publicKey, 'public')).update(`${hsHeader}.${jwtBody}`).digest('base64url');
    expect(await verifier.verify(`${hsHeader}.${jwtBody}.${hs}`)).toBeNull();

    expect(await verifier.verify('not a token')).toBeNull();
    expect(await verifier.verify('')).toBeNull();
  });

  it('reads a PEM written on one line with \\n escapes, as .env files carry it', async () => {
    const oneLine = pem(ed.privateKey, 'private').trim().replace(/\n/g, '\\n');
    expect(agentPrivateKeyProblem('AGENT_TOKEN_PRIVATE_KEY', oneLine)).toBeNull();
    const token = await AgentTokenSigner.fromPem(oneLine).sign(claims());
    expect(await verifier.verify(token)).not.toBeNull();
  });

  it('names the variable in one line when a key will not do, and never takes a private key for the public one', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cases: [string | null, string][] = [
      [agentPublicKeyProblem('AGENT_TOKEN_PUBLIC_KEY', pem(ed.privateKey, 'private')), 'AGENT_TOKEN_PUBLIC_KEY'],
      [agentPrivateKeyProblem('AGENT_TOKEN_PRIVATE_KEY', pem(ed.publicKey, 'public')), 'AGENT_TOKEN_PRIVATE_KEY'],
      [agentPrivateKeyProblem('AGENT_TOKEN_PRIVATE_KEY', pem(rsa.privateKey, 'private')), 'AGENT_TOKEN_PRIVATE_KEY'],
      [agentPublicKeyProblem('AGENT_TOKEN_PUBLIC_KEY', 'x'.repeat(40)), 'AGENT_TOKEN_PUBLIC_KEY'],
    ];
    for (const [problem, variable] of cases) {
      expect(problem).toMatch(new RegExp(`^${variable} must be`));
      expect(problem).not.toContain('\n');
      expect(problem).not.toContain('BEGIN PRIVATE KEY-----\n');
    }
    expect(agentPublicKeyProblem('AGENT_TOKEN_PUBLIC_KEY', pem(p256.publicKey, 'public'))).toBeNull();
    expect(() => AgentTokenVerifier.fromPem(pem(ed.privateKey, 'private'))).toThrow();
  });
});
