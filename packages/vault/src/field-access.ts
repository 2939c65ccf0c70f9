// Who reads a personal field, and why. Every open must say so before any plaintext comes back:
// these are the facts a later access event records, so they are checked here, not trusted.
import { AgencySchema, type Agency, type Ulid } from '@nrm/contracts';
import { InvalidVaultRequestError } from './errors.ts';

/** Who reads personal data: recorded with every open. */
export type Reader = { actor: string; agency: Agency };

export type OpenOptions = {
  /** The field name the envelope was sealed as; another name fails as tampering. */
  field: string;
  reader: Reader;
  /** Why the reader needs the plaintext, in words an auditor can judge. */
  purpose: string;
  /** The person the caller believes the envelope is about; an envelope about anyone else is refused. */
  subject?: Ulid;
};

export type AccessOptions = Omit<OpenOptions, 'field'>;

/** One read of one personal field, as handed to `onOpen`. */
export type FieldAccess = { subject: Ulid; field: string; kid: string; reader: Reader; purpose: string };

export function assertAccess(reader: Reader | undefined, purpose: unknown): void {
  if (typeof reader?.actor !== 'string' || reader.actor === '') {
    throw new InvalidVaultRequestError('reader.actor must name who reads the personal data');
  }
  if (!AgencySchema.safeParse(reader.agency).success) {
    throw new InvalidVaultRequestError(`reader.agency must be one of ${AgencySchema.options.join(', ')}; got ${JSON.stringify(reader.agency)}`);
  }
  if (typeof purpose !== 'string' || purpose.trim() === '') {
    throw new InvalidVaultRequestError('purpose must say why the personal data is read');
  }
}
