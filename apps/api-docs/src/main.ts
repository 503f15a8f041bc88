import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCUMENTED_SERVICES, committedDocumentPath, generatedDocumentText } from './services.js';

// `npm run openapi`: writes docs/openapi/<service>.json from the controllers of each
// service, without a database or a broker. The services serve the same documents at
// GET /openapi.json, and a test fails when a committed copy is out of date.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

try {
  for (const service of DOCUMENTED_SERVICES) {
    const file = committedDocumentPath(root, service.name);
    const text = await generatedDocumentText(service);
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    process.stdout.write(`${path.relative(root, file)}: ${before === text ? 'unchanged' : 'written'}\n`);
  }
} catch (error) {
  process.stderr.write(`openapi: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
