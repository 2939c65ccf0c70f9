// Reading the few members verification needs straight out of canonical (RFC 8785) texts, so a
// million events are not parsed: member order is fixed and the tail members (after `data`) have
// formats that cannot hold a quote, so they are found by their last occurrence. Whatever is not
// laid out exactly so returns null, and the caller parses the text instead.
import { ID_MEMBER, idMemberAt } from '@nrm/contracts/hash-chain';

const HASH_MEMBER = ',"hash":"';
const POSITION_MEMBER = ',"position":';
const PREV_HASH_MEMBER = ',"prevHash":"';
const ACTOR_MEMBER = '{"actor":"';
const AGENCY_MEMBER = ',"agency":"';

/** The top-level `id` of a hashed form or envelope: the last `"id"` member (`at`: `idMemberAt(text)`, passed when known). */
export function idOf(text: string, at = idMemberAt(text)): string | null {
  if (at < 0) return null;
  const end = text.indexOf('"', at + ID_MEMBER.length);
  if (end < 0 || !text.startsWith('","occurredAt":"', end)) return null;
  const id = text.slice(at + ID_MEMBER.length, end);
  return id.includes('\\') ? null : id;
}

/** `agency`, the second member: after `actor`, a JSON string that may hold escaped quotes. */
export function agencyOf(text: string): string | null {
  if (!text.startsWith(ACTOR_MEMBER)) return null;
  let end = text.indexOf('"', ACTOR_MEMBER.length);
  for (;;) {
    if (end < 0) return null;
    let backslashes = 0;
    while (text[end - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) break;
    end = text.indexOf('"', end + 1);
  }
  if (!text.startsWith(AGENCY_MEMBER, end + 1)) return null;
  const start = end + 1 + AGENCY_MEMBER.length;
  const close = text.indexOf('"', start);
  const agency = text.slice(start, close);
  return close < 0 || agency.includes('\\') ? null : agency;
}

/** An archived envelope taken apart: the hashed form it carries, and the members it adds to it. */
export type EnvelopeParts = { hashedText: string; hash: string; id: string; position: number };

/**
 * The envelope is the hashed form with `hash` inserted before the top-level `id` and `position`
 * before `prevHash`. Both are required to sit exactly there (the hash member right before the
 * last `"id"`), so the hashed form cut back out is the one the envelope was made from.
 */
export function envelopeParts(envelope: string): EnvelopeParts | null {
  const hashAt = envelope.lastIndexOf(HASH_MEMBER);
  if (hashAt <= 0) return null;
  const hashStart = hashAt + HASH_MEMBER.length;
  const afterHash = hashStart + 65;
  if (envelope[afterHash - 1] !== '"' || envelope.lastIndexOf(ID_MEMBER) !== afterHash) return null;
  const id = idOf(envelope);
  const positionAt = envelope.indexOf(POSITION_MEMBER, afterHash);
  if (id === null || positionAt < 0) return null;
  const positionEnd = envelope.indexOf(',', positionAt + POSITION_MEMBER.length);
  const positionText = envelope.slice(positionAt + POSITION_MEMBER.length, positionEnd);
  const position = Number(positionText);
  if (positionEnd < 0 || String(position) !== positionText || !envelope.startsWith(PREV_HASH_MEMBER, positionEnd)) return null;
  return {
    hashedText: envelope.slice(0, hashAt) + envelope.slice(afterHash, positionAt) + envelope.slice(positionEnd),
    hash: envelope.slice(hashStart, afterHash - 1),
    id,
    position,
  };
}

/**
 * Whether `envelope` is exactly the hashed form `body` with `hash` and `position` put in where
 * `envelopeParts` expects them: the same answer as comparing `envelopeParts(envelope)` with them,
 * without writing the hashed form out again (a million envelopes are checked so in `nrm verify`).
 * `idAt` is `idMemberAt(body)`, passed when the caller has it.
 *
 * envelopeParts searches the envelope backwards for its last hash and id members; this looks for
 * them where a yes puts them, which is known from the body: the hash member where the body's last
 * `"id"` is, the id member right after the hash. The envelope after that is the body's tail with
 * `position` put in before `prevHash`, so it holds a later `,"id":"` only if the body's tail does
 * (it does not: idAt is the last) or across the seam (none of that member's endings begins
 * `,"prevHash"`). A later `,"hash":"` it may hold (in the body's tail, or in a stored hash that is
 * not hex), so that one is searched for.
 */
export function isEnvelopeOf(envelope: string, body: string, hash: string, position: number, idAt = idMemberAt(body)): boolean {
  const hashAt = idAt;
  if (hashAt <= 0 || !envelope.startsWith(HASH_MEMBER, hashAt) || envelope.indexOf(HASH_MEMBER, hashAt + 1) >= 0) return false;
  const hashStart = hashAt + HASH_MEMBER.length;
  const afterHash = hashStart + 65;
  if (envelope[afterHash - 1] !== '"' || !envelope.startsWith(ID_MEMBER, afterHash)) return false;
  if (envelope.slice(hashStart, afterHash - 1) !== hash) return false;
  const positionAt = envelope.indexOf(POSITION_MEMBER, afterHash);
  if (positionAt < 0) return false;
  const positionText = String(position);
  const positionEnd = positionAt + POSITION_MEMBER.length + positionText.length;
  if (envelope.slice(positionAt + POSITION_MEMBER.length, positionEnd) !== positionText || !envelope.startsWith(PREV_HASH_MEMBER, positionEnd)) return false;
  // The envelope without the two members, piece by piece against the stored text. Pieces are
  // compared as slices with ===, which V8 does in place (startsWith with an offset copies).
  const middle = positionAt - afterHash;
  return (
    envelope.length === body.length + (afterHash - hashAt) + (positionEnd - positionAt) &&
    envelope.slice(0, hashAt) === body.slice(0, hashAt) &&
    envelope.slice(afterHash, positionAt) === body.slice(hashAt, hashAt + middle) &&
    envelope.slice(positionEnd) === body.slice(hashAt + middle) &&
    idOf(body, idAt) !== null
  );
}
