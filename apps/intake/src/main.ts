import 'reflect-metadata';
import { runServiceMain } from '@pt/platform';
import { intakeService } from './intake.module.js';

await runServiceMain(intakeService);
