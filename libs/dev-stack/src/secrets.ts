import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface DemoSecrets {
  vaultKey: string;
  adminToken: string;
  agentTokenSecret: string;
  /** Passwords of the demo agents "alice" (agent) and "sam" (supervisor). */
  agentPassword: string;
  supervisorPassword: string;
}

const generators: Record<keyof DemoSecrets, () => string> = {
  vaultKey: () => randomBytes(32).toString('base64'),
  adminToken: () => randomBytes(24).toString('base64url'),
  agentTokenSecret: () => randomBytes(32).toString('base64url'),
  agentPassword: () => randomBytes(9).toString('base64url'),
  supervisorPassword: () => randomBytes(9).toString('base64url'),
};

/**
 * Secrets for the embedded demo, generated on first start and kept in .data/ (mode 600),
 * so card keys sealed by one run can be opened by the next. Never used outside the demo.
 * A file from an older version gets the secrets it lacks added.
 */
export function demoSecrets(dataDir: string): DemoSecrets {
  const file = path.join(dataDir, 'demo-secrets.json');
  const stored = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DemoSecrets>) : {};
  const secrets = { ...stored } as DemoSecrets;
  let changed = false;
  for (const [name, generate] of Object.entries(generators) as [keyof DemoSecrets, () => string][]) {
    if (!secrets[name]) {
      secrets[name] = generate();
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}
