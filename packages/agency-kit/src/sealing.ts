// Personal data arrives in command bodies in plaintext and is sealed here, before a command is
// decided, so it never reaches an event, a log line or a projection in clear. The vault's field
// name is the event field's path: reading it back (`vault.open`) names the same path.
import type { SealedField } from '@nrm/contracts';
import type { Vault } from '@nrm/vault';

export async function sealIfPresent(vault: Vault, subject: string, field: string, value: string | undefined): Promise<SealedField | undefined> {
  return value === undefined ? undefined : vault.seal(subject, value, { field });
}

/** Seals every present string field of a record under `<prefix>.<name>`; absent fields stay absent. */
export async function sealRecord<K extends string>(vault: Vault, subject: string, prefix: string, record: Partial<Record<K, string>>): Promise<Partial<Record<K, SealedField>>> {
  const sealed: Partial<Record<K, SealedField>> = {};
  for (const [name, value] of Object.entries(record) as [K, string | undefined][]) {
    if (value !== undefined) sealed[name] = await vault.seal(subject, value, { field: `${prefix}.${name}` });
  }
  return sealed;
}
