import { mintBuyerToken } from '@pt/platform';
import { parseArgs } from 'node:util';
import { projectRoot } from './service-process.js';
import { storedDemoSecrets } from './secrets.js';

const USAGE = `usage: npm run buyer-token -- --account <accountId> [--minutes N]
  Prints a buyer token for the account, signed as the demo shop signs them (HS256 with
  BUYER_TOKEN_SECRET, issuer BUYER_TOKEN_ISSUER, audience BUYER_TOKEN_AUDIENCE; each from
  the environment, else from the demo's .data/demo-secrets.json and the defaults).
  A channel sends it as X-Buyer-Token on the buyer's behalf. --minutes: 1 to 15, default 10.`;

function fail(message: string): never {
  process.stderr.write(`buyer-token: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: { account?: string; minutes?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { account: { type: 'string' }, minutes: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!values.account) fail('--account is required');
if (!/^\S{1,64}$/.test(values.account)) fail('--account must be 1 to 64 characters without spaces');
const minutes = values.minutes === undefined ? 10 : Number(values.minutes);
if (!Number.isInteger(minutes) || minutes < 1 || minutes > 15) fail('--minutes must be a whole number from 1 to 15');
const secret = process.env.BUYER_TOKEN_SECRET ?? storedDemoSecrets(projectRoot())?.buyerTokenSecret;
if (!secret) fail('no BUYER_TOKEN_SECRET in the environment and no demo secrets in .data/ (run `npm start` once first)');

const token = await mintBuyerToken({
  secret,
  issuer: process.env.BUYER_TOKEN_ISSUER ?? 'demo-shop',
  audience: process.env.BUYER_TOKEN_AUDIENCE ?? 'payment-triage',
  accountId: values.account,
  lifetimeSeconds: minutes * 60,
});
process.stdout.write(`${token}\n`);
