// The registry of every event type: its agency, current schema version, payload schema and the
// upcasters that lift older stored versions to the current one. Stored events are never
// rewritten; readers upcast on the way out.
import type { z } from 'zod';
import type { Agency } from './agencies.ts';
import type { RecordedEvent } from './envelope.ts';

export type Upcaster = {
  /** The version this step reads; it produces `from + 1`. */
  from: number;
  /** The payload schema of version `from`, so an old event is validated before it is lifted. */
  schema: z.ZodType;
  upcast: (data: Record<string, unknown>) => Record<string, unknown>;
};

export type EventDefinition<Schema extends z.ZodType = z.ZodType> = {
  type: string;
  agency: Agency;
  name: string;
  version: number;
  schema: Schema;
  description: string;
  upcasters: readonly Upcaster[];
};

export function defineEvent<Schema extends z.ZodType>(definition: {
  agency: Agency;
  name: string;
  schema: Schema;
  description: string;
  version?: number;
  upcasters?: readonly Upcaster[];
}): EventDefinition<Schema> {
  const version = definition.version ?? 1;
  const upcasters = [...(definition.upcasters ?? [])].sort((a, b) => a.from - b.from);
  upcasters.forEach((step, index) => {
    if (step.from !== index + 1) throw new Error(`${definition.agency}.${definition.name}: upcasters must start at version 1 with no gap`);
  });
  if (upcasters.length !== version - 1) {
    throw new Error(`${definition.agency}.${definition.name}: version ${version} needs ${version - 1} upcasters`);
  }
  return { ...definition, type: `${definition.agency}.${definition.name}`, version, upcasters };
}

export type PayloadIssue = { path: string; message: string };
export type PayloadCheck = { ok: true; data: Record<string, unknown>; version: number } | { ok: false; rule: 'unknown-event-type' | 'unknown-schema-version' | 'invalid-payload'; issues: PayloadIssue[] };

export function issuesOf(error: z.ZodError): PayloadIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export class EventRegistry {
  private readonly byType = new Map<string, EventDefinition>();

  constructor(definitions: Iterable<EventDefinition> = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: EventDefinition): this {
    if (this.byType.has(definition.type)) throw new Error(`event type ${definition.type} is registered twice`);
    this.byType.set(definition.type, definition);
    return this;
  }

  get(type: string): EventDefinition | undefined {
    return this.byType.get(type);
  }

  all(): EventDefinition[] {
    return [...this.byType.values()].sort((a, b) => a.type.localeCompare(b.type));
  }

  /** Validates a payload written at `version` and lifts it to the current version. */
  check(type: string, version: number, data: unknown): PayloadCheck {
    const definition = this.byType.get(type);
    if (!definition) return { ok: false, rule: 'unknown-event-type', issues: [{ path: 'type', message: `${type} is not a registered event type` }] };
    if (!Number.isInteger(version) || version < 1 || version > definition.version) {
      return { ok: false, rule: 'unknown-schema-version', issues: [{ path: 'schemaVersion', message: `${type} has versions 1..${definition.version}` }] };
    }
    let current = data;
    for (let from = version; from < definition.version; from++) {
      const step = definition.upcasters[from - 1]!;
      const parsed = step.schema.safeParse(current);
      if (!parsed.success) return { ok: false, rule: 'invalid-payload', issues: issuesOf(parsed.error) };
      current = step.upcast(parsed.data as Record<string, unknown>);
    }
    const parsed = definition.schema.safeParse(current);
    if (!parsed.success) return { ok: false, rule: 'invalid-payload', issues: issuesOf(parsed.error) };
    return { ok: true, data: parsed.data as Record<string, unknown>, version: definition.version };
  }

  /** The event as current readers expect it; throws only if the store holds what was never valid. */
  upcast(event: RecordedEvent): RecordedEvent {
    const definition = this.byType.get(event.type);
    if (!definition || event.schemaVersion === definition.version) return event;
    const checked = this.check(event.type, event.schemaVersion, event.data);
    if (!checked.ok) throw new Error(`stored event ${event.id} (${event.type} v${event.schemaVersion}) cannot be upcast: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    return { ...event, schemaVersion: checked.version, data: checked.data };
  }
}
