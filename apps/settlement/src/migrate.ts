import 'reflect-metadata';
import { runMigrationsMain } from '@pt/platform';
import { SETTLEMENT_MIGRATIONS } from './migrations/index.js';

await runMigrationsMain('settlement', 'settlement', SETTLEMENT_MIGRATIONS);
