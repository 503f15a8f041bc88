import 'reflect-metadata';
import { runServiceMain } from '@pt/platform';
import { reconciliationService } from './reconciliation.module.js';

await runServiceMain(reconciliationService);
