import type { DynamicModule } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { offlineRuntime, openApiDocument, openApiText } from '@pt/platform';
import path from 'node:path';
import { intakeService } from '../../intake/src/intake.module.js';
import { reconciliationService } from '../../reconciliation/src/reconciliation.module.js';
import { settlementService } from '../../settlement/src/settlement.module.js';

export interface DocumentedService {
  name: string;
  /** Generated from the service's controllers without PostgreSQL or Kafka. */
  document: () => Promise<OpenAPIObject>;
  /** The service's root module as it would be built offline, to compare the document with its controllers. */
  module: () => DynamicModule;
}

/** The services with an HTTP API, each documented in docs/openapi/<name>.json. */
export const DOCUMENTED_SERVICES: readonly DocumentedService[] = [
  { name: intakeService.name, document: () => openApiDocument(intakeService), module: () => intakeService.module(offlineRuntime(intakeService)) },
  {
    name: reconciliationService.name,
    document: () => openApiDocument(reconciliationService),
    module: () => reconciliationService.module(offlineRuntime(reconciliationService)),
  },
  {
    name: settlementService.name,
    document: () => openApiDocument(settlementService),
    module: () => settlementService.module(offlineRuntime(settlementService)),
  },
];

/** Where the committed copy of a service's document lives. */
export function committedDocumentPath(root: string, service: string): string {
  return path.join(root, 'docs', 'openapi', `${service}.json`);
}

/** A service's document as it is written to docs/openapi/. */
export async function generatedDocumentText(service: DocumentedService): Promise<string> {
  return openApiText(await service.document());
}
