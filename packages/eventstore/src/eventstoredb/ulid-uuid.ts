// EventStoreDB requires UUID event ids; ours are ULIDs. Both are 128 bits, so the mapping is
// exact and reversible, and the server's own idempotency (same id, same expected revision)
// works on our ids.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function ulidToUuid(ulid: string): string {
  let value = 0n;
  for (const char of ulid) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToUlid(uuid: string): string {
  let value = BigInt(`0x${uuid.replaceAll('-', '')}`);
  let ulid = '';
  for (let i = 0; i < 26; i++) {
    ulid = CROCKFORD[Number(value & 31n)] + ulid;
    value >>= 5n;
  }
  return ulid;
}
