/**
 * Ed25519 request signatures of Discord's HTTP interactions: X-Signature-Ed25519 over
 * X-Signature-Timestamp + the raw body, with node:crypto only. Pure: the clock is a parameter
 * and every failure is a SignatureError with a reason, so callers answer 401 without guessing.
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** Discord's own tolerance for replays; older (or future) timestamps are refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureProblem = "missing" | "malformed" | "stale" | "invalid";

export class SignatureError extends Error {
  constructor(
    readonly reason: SignatureProblem,
    message: string,
  ) {
    super(message);
    this.name = "SignatureError";
  }
}

/** Builds the key object once, from the Developer Portal's hex public key. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new SignatureError("malformed", "the public key must be 64 hex characters");
  }
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  });
}

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  body: Buffer;
}

/** Throws SignatureError unless the request is signed by `key` within MAX_SKEW_SECONDS of now(). */
export function verifySignature(key: KeyObject, request: SignedRequest, now: () => number = Date.now): void {
  const { signature, timestamp, body } = request;
  if (!signature || !timestamp) throw new SignatureError("missing", "signature headers are missing");
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) {
    throw new SignatureError("malformed", "signature headers are malformed");
  }
  if (Math.abs(now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    throw new SignatureError("stale", "the request timestamp is too far from now");
  }
  let ok = false;
  try {
    ok = verify(
      null,
      Buffer.concat([Buffer.from(timestamp, "utf8"), body]),
      key,
      Buffer.from(signature, "hex"),
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new SignatureError("invalid", "the signature does not match");
}
