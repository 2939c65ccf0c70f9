// Persons as a recovery or a return lists them: each gets a personId (the one given when the
// backbone already knows them, a new one otherwise) and who they are is sealed for that personId,
// field by field, before the command is decided.
import { PERSON_FIELDS } from '@nrm/contracts';
import type { ListedPerson, PersonInput } from '@nrm/contracts';
import type { Vault } from '@nrm/vault';

export async function listedPersons(vault: Vault, persons: readonly PersonInput[], allocate: (purpose: string) => string): Promise<ListedPerson[]> {
  return Promise.all(
    persons.map(async ({ personId, person, ...profile }, index) => {
      const id = personId ?? allocate(`person:${index}`);
      return { personId: id, person: await vault.sealFields(id, person, PERSON_FIELDS), ...profile };
    }),
  );
}
