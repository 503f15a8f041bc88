import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface DemoSecrets {
  vaultKey: string;
  adminToken: string;
  /** Ed25519 key pair of agent tokens: intake signs with the private key (PKCS#8 PEM), reconciliation verifies with the public one (SPKI PEM). */
  agentTokenPrivateKey: string;
  agentTokenPublicKey: string;
  /** The demo shop's HS256 secret for buyer tokens (`npm run buyer-token` signs with it). */
  buyerTokenSecret: string;
  /** Passwords of the demo agents "alice" (agent) and "sam" (supervisor). */
  agentPassword: string;
  supervisorPassword: string;
}

type SingleSecret = Exclude<keyof DemoSecrets, 'agentTokenPrivateKey' | 'agentTokenPublicKey'>;

const generators: Record<SingleSecret, () => string> = {
  vaultKey: () => randomBytes(32).toString('base64'),
  adminToken: () => randomBytes(24).toString('base64url'),
  buyerTokenSecret: () => randomBytes(32).toString('base64url'),
  agentPassword: () => randomBytes(9).toString('base64url'),
  supervisorPassword: () => randomBytes(9).toString('base64url'),
};

/** A fresh Ed25519 key pair for agent tokens, as PEM. */
export function agentTokenKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Secrets for the embedded demo, generated on first start and kept in .data/ (mode 600),
 * so card keys sealed by one run can be opened by the next. Never used outside the demo.
 * A file from an older version gets the secrets it lacks added.
 */
export function demoSecrets(dataDir: string): DemoSecrets & Partial<IssuedDemoSecrets> {
  const file = path.join(dataDir, 'demo-secrets.json');
  const stored = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DemoSecrets> & { agentTokenSecret?: string }) : {};
  const { agentTokenSecret: retired, ...kept } = stored;
  const secrets = { ...kept } as DemoSecrets;
  // The shared HMAC secret of older versions is gone: agent tokens are signed with a key pair.
  let changed = retired !== undefined;
  for (const [name, generate] of Object.entries(generators) as [SingleSecret, () => string][]) {
    if (!secrets[name]) {
      secrets[name] = generate();
      changed = true;
    }
  }
  if (!secrets.agentTokenPrivateKey || !secrets.agentTokenPublicKey) {
    const pair = agentTokenKeyPair();
    secrets.agentTokenPrivateKey = pair.privateKey;
    secrets.agentTokenPublicKey = pair.publicKey;
    changed = true;
  }
  if (changed) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

/** Secrets the running suite issued for the demo (not generated locally), kept beside the others. */
export interface IssuedDemoSecrets {
  /** The demo help center's channel client key. */
  channelKey: string;
}

export function saveIssuedDemoSecret<K extends keyof IssuedDemoSecrets>(dataDir: string, name: K, value: IssuedDemoSecrets[K]): void {
  const file = path.join(dataDir, 'demo-secrets.json');
  const stored = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : {};
  fs.writeFileSync(file, JSON.stringify({ ...stored, [name]: value }), { mode: 0o600 });
}

/** The demo's secrets as `npm start` left them in `.data/`, for the command-line tools; null before a first start. */
export function storedDemoSecrets(root: string): (DemoSecrets & Partial<IssuedDemoSecrets>) | null {
  const file = path.join(root, '.data', 'demo-secrets.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoSecrets & Partial<IssuedDemoSecrets>) : null;
}
