import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface DemoSecrets {
  vaultKey: string;
  adminToken: string;
}

/**
 * Secrets for the embedded demo, generated on first start and kept in .data/ (mode 600),
 * so card keys sealed by one run can be opened by the next. Never used outside the demo.
 */
export function demoSecrets(dataDir: string): DemoSecrets {
  const file = path.join(dataDir, 'demo-secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as DemoSecrets;
  const secrets: DemoSecrets = {
    vaultKey: randomBytes(32).toString('base64'),
    adminToken: randomBytes(24).toString('base64url'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
