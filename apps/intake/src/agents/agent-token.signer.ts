import type { Provider } from '@nestjs/common';
import { AgentTokenSigner, SERVICE_CONFIG } from '@pt/platform';
import type { IntakeConfig } from '../config/intake.config.js';

export const AGENT_TOKEN_SIGNER = Symbol('AGENT_TOKEN_SIGNER');

/** Intake's agent-token signer, from AGENT_TOKEN_PRIVATE_KEY (it also verifies with the matching public key). */
export const agentTokenSignerProvider: Provider = {
  provide: AGENT_TOKEN_SIGNER,
  inject: [SERVICE_CONFIG],
  useFactory: (config: IntakeConfig) => AgentTokenSigner.fromPem(config.AGENT_TOKEN_PRIVATE_KEY),
};
