import 'reflect-metadata';
import { runMigrationsMain } from '@pt/platform';
import { INTAKE_MIGRATIONS } from './migrations/index.js';

await runMigrationsMain('intake', 'intake', INTAKE_MIGRATIONS);
