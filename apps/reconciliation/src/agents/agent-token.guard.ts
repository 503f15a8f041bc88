import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SERVICE_CONFIG, SignedAgentGuard } from '@pt/platform';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';

/** Agent routes of reconciliation: the token intake signed, with the role the route needs. */
@Injectable()
export class AgentTokenGuard extends SignedAgentGuard {
  constructor(reflector: Reflector, @Inject(SERVICE_CONFIG) config: ReconciliationConfig) {
    super(reflector, config.AGENT_TOKEN_SECRET);
  }
}
