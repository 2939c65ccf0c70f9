// A command body's `occurredAt` becomes the event's envelope time (the command route reads it),
// never a field of the event's data, whose schemas do not have it.
export function withoutOccurredAt<T extends { occurredAt?: string | undefined }>(body: T): Omit<T, 'occurredAt'> {
  const { occurredAt: _occurredAt, ...data } = body;
  return data;
}
