// Remembers tokens whose signature and claims were verified, so a client sending the same token
// on every request (an agency system on a keep-alive connection) pays for one Ed25519
// verification per token rather than one per request: the signature check was ~7% of the
// server's CPU under HTTP ingestion load.
//
// What is remembered is only what cannot change for the same bytes: a token is its own key, so a
// different signature, header or claim is a different entry. What can change is checked again on
// every hit: expiry, not-before and issue time against the moment asked about; the entry's age;
// and (by the verifier) that the key set still gives the very key that verified the signature,
// so a key withdrawn from the set stops vouching for its tokens exactly when it would without
// the cache. Failures are never remembered. The map is bounded; the oldest entry goes first.
import type { JWTHeaderParameters } from 'jose';
import type { Principal } from './principal.ts';

export type VerifiedTokenCacheOptions = {
  /** Entries kept at most (default 10,000: a few MB of tokens). */
  maxEntries?: number;
  /** How long a verification is reused (default 60 s); 0 turns the cache off. */
  maxAgeMs?: number;
};

export type VerifiedToken = {
  principal: Principal;
  header: JWTHeaderParameters;
  /** The key the signature was checked with, as the key set gave it. */
  key: unknown;
  /** Seconds since the epoch, as in the token. */
  exp: number;
  nbf: number | undefined;
  iat: number;
  verifiedAtMs: number;
};

export type CachedVerdict = { token: VerifiedToken } | { expired: true } | undefined;

export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly toleranceSeconds: number;

  constructor(options: VerifiedTokenCacheOptions, toleranceSeconds: number) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.toleranceSeconds = toleranceSeconds;
  }

  /**
   * A token verified before, if it is still valid at `at` (jose's rules:
   * expired when exp ≤ at − tolerance, not yet valid when nbf > at + tolerance); `expired` when
   * it has expired since; undefined when it must be verified in full.
   */
  lookup(token: string, at: Date, nowMs: number): CachedVerdict {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs - entry.verifiedAtMs > this.maxAgeMs || nowMs < entry.verifiedAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    const seconds = Math.floor(at.getTime() / 1000);
    if (entry.exp <= seconds - this.toleranceSeconds) return { expired: true };
    // Not yet valid (or not yet issued) at a moment before the one it was verified for: verify in
    // full, which gives the refusal its own reason.
    if (entry.nbf !== undefined && entry.nbf > seconds + this.toleranceSeconds) return undefined;
    if (entry.iat > at.getTime() / 1000 + this.toleranceSeconds) return undefined;
    return { token: entry };
  }

  remember(token: string, verified: Omit<VerifiedToken, 'verifiedAtMs'>, nowMs: number): void {
    if (this.maxAgeMs <= 0 || this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { ...verified, verifiedAtMs: nowMs });
  }

  forget(token: string): void {
    this.entries.delete(token);
  }

  get size(): number {
    return this.entries.size;
  }
}
