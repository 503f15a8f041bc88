import 'reflect-metadata';
import { runServiceMain } from '@pt/platform';
import { settlementService } from './settlement.module.js';

await runServiceMain(settlementService);
