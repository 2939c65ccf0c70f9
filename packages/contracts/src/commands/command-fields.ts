// Fields command bodies share. A body never names the writing agency, the actor, the recording
// time or event ids: the service takes those from the token, its clock and its id source.
import { z } from 'zod';
import { IsoTimeSchema } from '../envelope.ts';

export const occurredAtField = {
  occurredAt: IsoTimeSchema.optional().describe('when it happened (UTC); the service takes the time it received the command when absent'),
};

/** Plaintext the service seals before it becomes an event, because free text may name someone. */
export const NoteTextSchema = z.string().trim().min(1).max(2000);
