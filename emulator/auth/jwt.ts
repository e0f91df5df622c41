/**
 * RS256 JSON Web Tokens (RFC 7519 / RFC 7515 compact form), the one format every signed
 * credential in the emulator uses: service-account assertions, IAM Credentials `signJwt`
 * answers and the CI system's OIDC subject tokens.
 */
import { createPublicKey, type KeyObject, sign, verify } from "node:crypto";

export interface JwtHeader {
  alg?: string;
  kid?: string;
  typ?: string;
}

/** The registered claims the emulator reads (RFC 7519 §4.1), and any others. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  scope?: string;
  iat?: number;
  exp?: number;
  [claim: string]: unknown;
}

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  /** `header.claims` as sent: what the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Signs `claims` with an RSA private key (RS256). */
export function signJwt(claims: JwtClaims, privateKey: KeyObject, kid?: string): string {
  const signingInput = `${encode({ alg: "RS256", typ: "JWT", ...(kid ? { kid } : {}) })}.${encode(claims)}`;
  return `${signingInput}.${sign("RSA-SHA256", Buffer.from(signingInput), privateKey).toString("base64url")}`;
}

/** The parts of a compact JWT; undefined when it is not one. Checks no signature. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString()) as JwtHeader;
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString()) as JwtClaims;
    if (typeof header !== "object" || header === null || typeof claims !== "object" || claims === null) return undefined;
    return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], "base64url") };
  } catch {
    return undefined;
  }
}

/** Whether `jwt` is RS256 and signed by the private half of `publicKey` (a KeyObject or SPKI PEM). */
export function signedBy(jwt: DecodedJwt, publicKey: KeyObject | string): boolean {
  if (jwt.header.alg !== "RS256") return false;
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  return verify("RSA-SHA256", Buffer.from(jwt.signingInput), key, jwt.signature);
}
