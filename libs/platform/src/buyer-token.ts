import { HttpStatus } from '@nestjs/common';
import type { BuyerEdgeConfig } from '@pt/config';
import { SignJWT, createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import fs from 'node:fs';
import type { Request } from 'express';
import { ApiError } from './api-error.js';

/** Header a channel puts a signed-in buyer's token in. */
export const BUYER_TOKEN_HEADER = 'x-buyer-token';

/** A buyer the shop vouched for: the subject of a valid buyer token is their account id. */
export interface VerifiedBuyer {
  accountId: string;
  expiresAt: Date;
}

/** Why a buyer token was refused; never echoes the token. */
export type BuyerTokenProblem = 'MISSING' | 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' | 'WRONG_ISSUER' | 'WRONG_AUDIENCE' | 'TOO_LONG_LIVED' | 'NO_SUBJECT';

const EXPLAINED: Record<BuyerTokenProblem, string> = {
  MISSING: `a buyer token is required in the ${BUYER_TOKEN_HEADER} header`,
  MALFORMED: 'the buyer token is not a well-formed JWT',
  BAD_SIGNATURE: 'the buyer token is not signed by a key the suite trusts',
  EXPIRED: 'the buyer token has expired; ask the shop for a new one',
  WRONG_ISSUER: 'the buyer token was issued by someone else than the configured shop',
  WRONG_AUDIENCE: 'the buyer token is meant for another audience',
  TOO_LONG_LIVED: 'the buyer token lives longer than allowed, or lacks iat/exp',
  NO_SUBJECT: 'the buyer token names no account (sub)',
};

export class BuyerTokenError extends ApiError {
  constructor(readonly problem: BuyerTokenProblem) {
    super(HttpStatus.UNAUTHORIZED, 'BUYER_TOKEN_INVALID', EXPLAINED[problem]);
  }
}

/** Reads `BUYER_TOKEN_JWKS`: inline JSON, or the path of a file with it. */
function localKeySet(source: string): JWTVerifyGetKey {
  const text = source.trimStart().startsWith('{') ? source : fs.readFileSync(source, 'utf8');
  return createLocalJWKSet(JSON.parse(text) as Parameters<typeof createLocalJWKSet>[0]);
}

/**
 * Checks buyer tokens the shop signs (JWT): HS256 with a shared secret, or the shop's
 * public keys (a JWKS inline, in a file, or at a URL). Issuer, audience, expiry and a
 * bounded lifetime are required.
 */
export class BuyerTokenVerifier {
  private readonly keys: { secret?: Uint8Array; jwks?: JWTVerifyGetKey };

  constructor(private readonly config: BuyerEdgeConfig) {
    this.keys = {
      ...(config.BUYER_TOKEN_SECRET ? { secret: new TextEncoder().encode(config.BUYER_TOKEN_SECRET) } : {}),
      ...(config.BUYER_TOKEN_JWKS ? { jwks: localKeySet(config.BUYER_TOKEN_JWKS) } : {}),
      ...(config.BUYER_TOKEN_JWKS_URL
        ? { jwks: createRemoteJWKSet(new URL(config.BUYER_TOKEN_JWKS_URL), { timeoutDuration: 3000, cooldownDuration: 30_000 }) }
        : {}),
    };
  }

  async verify(token: string | undefined | null): Promise<VerifiedBuyer> {
    if (!token) throw new BuyerTokenError('MISSING');
    if (token.split('.').length !== 3 || token.length > 8192) throw new BuyerTokenError('MALFORMED');
    const payload = await this.checkSignatureAndClaims(token);
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 64) throw new BuyerTokenError('NO_SUBJECT');
    if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp - payload.iat > this.config.BUYER_TOKEN_MAX_LIFETIME_SECONDS) {
      throw new BuyerTokenError('TOO_LONG_LIVED');
    }
    return { accountId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
  }

  /** The buyer of a request's token, or null when the request carries none; a bad token is refused. */
  async optional(req: Request): Promise<VerifiedBuyer | null> {
    const token = req.header(BUYER_TOKEN_HEADER);
    return token ? this.verify(token) : null;
  }

  private async checkSignatureAndClaims(token: string): Promise<JWTPayload> {
    const options = {
      issuer: this.config.BUYER_TOKEN_ISSUER,
      audience: this.config.BUYER_TOKEN_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: 30,
    };
    const attempts: (() => Promise<JWTPayload>)[] = [];
    if (this.keys.secret) attempts.push(async () => (await jwtVerify(token, this.keys.secret!, { ...options, algorithms: ['HS256'] })).payload);
    if (this.keys.jwks)
      attempts.push(async () => (await jwtVerify(token, this.keys.jwks!, { ...options, algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'] })).payload);
    let last: BuyerTokenProblem = 'BAD_SIGNATURE';
    for (const attempt of attempts) {
      try {
        return await attempt();
      } catch (error) {
        last = problemOf(error);
        // A claim problem is final; a key or algorithm mismatch may suit the other key source.
        if (!['BAD_SIGNATURE'].includes(last)) break;
      }
    }
    throw new BuyerTokenError(last);
  }
}

function problemOf(error: unknown): BuyerTokenProblem {
  if (error instanceof errors.JWTExpired) return 'EXPIRED';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'WRONG_ISSUER';
    if (error.claim === 'aud') return 'WRONG_AUDIENCE';
    if (error.claim === 'sub') return 'NO_SUBJECT';
    return 'TOO_LONG_LIVED';
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'MALFORMED';
  return 'BAD_SIGNATURE';
}

/**
 * Signs a buyer token the way a shop would (HS256): for the demo's CLI and the tests. A
 * real shop signs its own, with its own secret or private key.
 */
export async function mintBuyerToken(input: {
  secret: string;
  issuer: string;
  audience: string;
  accountId: string;
  lifetimeSeconds?: number;
  now?: Date;
}): Promise<string> {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.accountId)
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (input.lifetimeSeconds ?? 600))
    .sign(new TextEncoder().encode(input.secret));
}
