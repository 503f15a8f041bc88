import { ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { agentPrivateKeyProblem, agentPublicKeyProblem } from './agent-token.js';

/** Config check: the variable holds a key intake can sign agent tokens with. */
@ValidatorConstraint({ name: 'agentTokenPrivateKey' })
export class AgentTokenPrivateKeyPem implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return typeof value === 'string' && agentPrivateKeyProblem(args.property, value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return agentPrivateKeyProblem(args.property, String(args.value)) ?? `${args.property} is not a usable private key`;
  }
}

/** Config check: the variable holds a key that verifies agent tokens. */
@ValidatorConstraint({ name: 'agentTokenPublicKey' })
export class AgentTokenPublicKeyPem implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return typeof value === 'string' && agentPublicKeyProblem(args.property, value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return agentPublicKeyProblem(args.property, String(args.value)) ?? `${args.property} is not a usable public key`;
  }
}

/** Config check for a service that only verifies: the signing key must not be given to it at all. */
@ValidatorConstraint({ name: 'noAgentTokenPrivateKey' })
export class NoAgentTokenPrivateKey implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must not be set for this service: it only checks agent tokens, with AGENT_TOKEN_PUBLIC_KEY; keep the private key on intake alone`;
  }
}
