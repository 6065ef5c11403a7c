/** Ed25519 request signatures (verify.ts): real keys, an injected clock, a typed error. */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  MAX_SKEW_SECONDS,
  publicKeyFromHex,
  SignatureError,
  type SignatureProblem,
  verifySignature,
} from "../adapters/discord/verify.js";

const NOW = 1_790_000_000_000;
const clock = () => NOW;
const seconds = (ms: number) => String(Math.floor(ms / 1000));

function keyPair(): { hex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  // The last 32 bytes of the SPKI DER are the raw key, which the Developer Portal shows as hex.
  return { hex: publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex"), privateKey };
}

function signed(privateKey: KeyObject, body: string, timestamp = seconds(NOW)) {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return { signature, timestamp, body: Buffer.from(body) };
}

function problemOf(run: () => void): SignatureProblem | "accepted" {
  try {
    run();
    return "accepted";
  } catch (error) {
    if (error instanceof SignatureError) return error.reason;
    throw error;
  }
}

describe("verifySignature", () => {
  const { hex, privateKey } = keyPair();
  const key = publicKeyFromHex(hex);
  const body = '{"type":1}';

  it("accepts a request signed with the application's key within five minutes", () => {
    expect(problemOf(() => verifySignature(key, signed(privateKey, body), clock))).toBe("accepted");
    const edge = signed(privateKey, body, seconds(NOW - MAX_SKEW_SECONDS * 1000));
    expect(problemOf(() => verifySignature(key, edge, clock))).toBe("accepted");
  });

  it("refuses stale and future timestamps, whatever the signature", () => {
    const old = signed(privateKey, body, seconds(NOW - (MAX_SKEW_SECONDS + 1) * 1000));
    expect(problemOf(() => verifySignature(key, old, clock))).toBe("stale");
    const future = signed(privateKey, body, seconds(NOW + (MAX_SKEW_SECONDS + 1) * 1000));
    expect(problemOf(() => verifySignature(key, future, clock))).toBe("stale");
    // The same request is fine for a clock that agrees with it: the clock really is injected.
    expect(problemOf(() => verifySignature(key, old, () => NOW - 360_000))).toBe("accepted");
  });

  it("refuses a tampered body or timestamp", () => {
    const good = signed(privateKey, body);
    expect(problemOf(() => verifySignature(key, { ...good, body: Buffer.from('{"type":2}') }, clock))).toBe(
      "invalid",
    );
    expect(
      problemOf(() =>
        verifySignature(key, { ...good, timestamp: String(Number(good.timestamp) - 1) }, clock),
      ),
    ).toBe("invalid");
  });

  it("refuses missing and malformed headers", () => {
    const good = signed(privateKey, body);
    expect(problemOf(() => verifySignature(key, { ...good, signature: undefined }, clock))).toBe("missing");
    expect(problemOf(() => verifySignature(key, { ...good, timestamp: "" }, clock))).toBe("missing");
    expect(problemOf(() => verifySignature(key, { ...good, signature: "zz".repeat(64) }, clock))).toBe(
      "malformed",
    );
    expect(
      problemOf(() => verifySignature(key, { ...good, signature: good.signature.slice(2) }, clock)),
    ).toBe("malformed");
    expect(problemOf(() => verifySignature(key, { ...good, timestamp: "12e9" }, clock))).toBe("malformed");
  });

  it("refuses a request signed with another key", () => {
    const other = keyPair();
    expect(problemOf(() => verifySignature(key, signed(other.privateKey, body), clock))).toBe("invalid");
  });

  it("builds the key from the portal's hex once, and refuses a malformed one", () => {
    expect(key.asymmetricKeyType).toBe("ed25519");
    expect(() => publicKeyFromHex("abc")).toThrow(SignatureError);
    expect(() => publicKeyFromHex("g".repeat(64))).toThrow(SignatureError);
  });
});
