import 'reflect-metadata';
import { runMigrationsMain } from '@pt/platform';
import { RECONCILIATION_MIGRATIONS } from './migrations/index.js';

await runMigrationsMain('reconciliation', 'reconciliation', RECONCILIATION_MIGRATIONS);
