import { HttpStatus, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { SignJWT, jwtVerify } from 'jose';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ApiError } from './api-error.js';

export type AgentRole = 'agent' | 'supervisor';

/** What an agent token says about its bearer, and what a guard attaches to the request. */
export interface AgentClaims {
  /** Session id: the session may be revoked before the token expires. */
  sid: string;
  /** Agent id. */
  sub: string;
  username: string;
  /** The role at sign-in; guards replace it with the agent's current role. */
  role: AgentRole;
  /**
   * The agent's access version at sign-in (claim `av`): a service that mirrors access
   * changes trusts a mirrored state only if it is at least this new.
   */
  accessVersion: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Who issues agent tokens, and for whom they are meant; both are checked on every token. */
export const AGENT_TOKEN_ISSUER = 'payment-triage/intake';
export const AGENT_TOKEN_AUDIENCE = 'payment-triage/agent-api';

type AgentTokenAlgorithm = 'EdDSA' | 'ES256';

function algorithmOf(key: KeyObject): AgentTokenAlgorithm | null {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return null;
}

/** A PEM from an environment variable; `\n` written as two characters (one-line .env files) is accepted. */
export function pemFromEnv(value: string): string {
  return value.replace(/\\n/g, '\n').trim();
}

function readKey(pem: string, kind: 'private' | 'public'): KeyObject {
  const text = pemFromEnv(pem);
  const label = kind === 'private' ? 'PRIVATE KEY' : 'PUBLIC KEY';
  // createPublicKey also accepts a private key (it derives the public half): insist on the label.
  if (!text.startsWith(`-----BEGIN ${label}-----`)) throw new Error(`not a PEM "${label}"`);
  const key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
  if (!algorithmOf(key)) throw new Error('not an Ed25519 or P-256 key');
  return key;
}

/**
 * Why a PEM cannot be the agent-token signing key, in one line naming the variable, or null
 * when it can (PKCS#8 "PRIVATE KEY", Ed25519 or P-256).
 */
export function agentPrivateKeyProblem(variable: string, pem: string): string | null {
  try {
    readKey(pem, 'private');
    return null;
  } catch {
    return `${variable} must be an Ed25519 or P-256 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), e.g. from \`openssl genpkey -algorithm ed25519\``;
  }
}

/** Like `agentPrivateKeyProblem`, for the verifying key (SPKI "PUBLIC KEY"). */
export function agentPublicKeyProblem(variable: string, pem: string): string | null {
  try {
    readKey(pem, 'public');
    return null;
  } catch {
    return `${variable} must be an Ed25519 or P-256 public key in SPKI PEM (-----BEGIN PUBLIC KEY-----), e.g. from \`openssl pkey -pubout\``;
  }
}

function isRole(value: unknown): value is AgentRole {
  return value === 'agent' || value === 'supervisor';
}

/**
 * Checks agent tokens (JWT) with the public key: the signature, the algorithm of that key
 * only, issuer, audience and expiry. Holding it cannot mint a token.
 */
export class AgentTokenVerifier {
  private readonly algorithm: AgentTokenAlgorithm;

  constructor(private readonly key: KeyObject) {
    this.algorithm = algorithmOf(key)!;
  }

  static fromPem(pem: string): AgentTokenVerifier {
    return new AgentTokenVerifier(readKey(pem, 'public'));
  }

  /** The claims of a well-signed, unexpired token meant for agents, or null. */
  async verify(token: string, now: Date = new Date()): Promise<AgentClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [this.algorithm],
        issuer: AGENT_TOKEN_ISSUER,
        audience: AGENT_TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'sub', 'sid'],
        currentDate: now,
      });
      const { sid, sub, username, role, av, exp } = payload as Record<string, unknown>;
      if (typeof sid !== 'string' || typeof sub !== 'string' || typeof username !== 'string' || !isRole(role) || typeof exp !== 'number') return null;
      if (typeof av !== 'number' || !Number.isInteger(av) || av < 1) return null;
      return { sid, sub, username, role, accessVersion: av, exp };
    } catch {
      return null;
    }
  }
}

/** Signs agent tokens with the private key (intake only). */
export class AgentTokenSigner {
  private readonly algorithm: AgentTokenAlgorithm;
  /** A verifier for the same key pair, so the signer's service needs no second variable. */
  readonly verifier: AgentTokenVerifier;

  constructor(private readonly key: KeyObject) {
    this.algorithm = algorithmOf(key)!;
    this.verifier = new AgentTokenVerifier(createPublicKey(key));
  }

  static fromPem(pem: string): AgentTokenSigner {
    return new AgentTokenSigner(readKey(pem, 'private'));
  }

  sign(claims: AgentClaims, now: Date = new Date()): Promise<string> {
    return new SignJWT({ sid: claims.sid, username: claims.username, role: claims.role, av: claims.accessVersion })
      .setProtectedHeader({ alg: this.algorithm, typ: 'JWT' })
      .setIssuer(AGENT_TOKEN_ISSUER)
      .setAudience(AGENT_TOKEN_AUDIENCE)
      .setSubject(claims.sub)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(claims.exp)
      .sign(this.key);
  }
}

/** The bearer token of a request, if any. */
export function bearerToken(req: Request): string | null {
  const header = req.header('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

export const REQUIRED_ROLE = 'pt:required-role';

/** Marks a route as needing a signed-in agent (any role) or a supervisor. */
export const RequireRole = (role: AgentRole) => SetMetadata(REQUIRED_ROLE, role);

export function unauthorized(): ApiError {
  return new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'sign in as an agent: a valid bearer token is required');
}

export function forbidden(role: AgentRole): ApiError {
  return new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `this action needs the ${role} role`);
}

/**
 * Checks the role a route requires against the caller (null: no valid, live session) and
 * attaches the caller as req.agent. `agent.role` must be the agent's current role.
 */
export function checkRole(context: ExecutionContext, reflector: Reflector, agent: AgentClaims | null): boolean {
  const required = reflector.getAllAndOverride<AgentRole | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
  if (!required) return true;
  if (!agent) throw unauthorized();
  if (required === 'supervisor' && agent.role !== 'supervisor') throw forbidden('supervisor');
  context.switchToHttp().getRequest<Request & { agent?: AgentClaims }>().agent = agent;
  return true;
}
