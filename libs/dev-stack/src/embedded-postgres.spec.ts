import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forgetOrphanedRelocatedData } from './embedded-postgres.js';

describe('a relocated PostgreSQL data folder', () => {
  let root: string;
  const project = () => path.join(root, 'project', '.data');
  const relocated = () => path.join(root, 'var-tmp', 'payment-triage-abc', 'postgres');
  const database = (dir: string) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '18\n');
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'relocated-'));
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("is removed when the project's .data/ was deleted, so new demo secrets never meet an old database", () => {
    database(relocated());
    expect(forgetOrphanedRelocatedData(project(), relocated())).toBe(true);
    expect(fs.existsSync(relocated())).toBe(false);
  });

  it('is kept while .data/ still holds the demo secrets that sealed it', () => {
    database(relocated());
    fs.mkdirSync(project(), { recursive: true });
    fs.writeFileSync(path.join(project(), 'demo-secrets.json'), '{}');
    expect(forgetOrphanedRelocatedData(project(), relocated())).toBe(false);
    expect(fs.existsSync(path.join(relocated(), 'PG_VERSION'))).toBe(true);
  });

  it('never touches a data folder that is not relocated', () => {
    database(path.join(project(), 'postgres'));
    expect(forgetOrphanedRelocatedData(project(), path.join(project(), 'postgres'))).toBe(false);
    expect(fs.existsSync(path.join(project(), 'postgres', 'PG_VERSION'))).toBe(true);
  });
});
