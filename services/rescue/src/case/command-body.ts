// A command body's `occurredAt` becomes its events' time (the route reads it first), never their
// payload: the rest of the body is what the event records.
export function withoutOccurredAt<T extends { occurredAt?: string }>({ occurredAt: _occurredAt, ...rest }: T): Omit<T, 'occurredAt'> {
  return rest;
}
