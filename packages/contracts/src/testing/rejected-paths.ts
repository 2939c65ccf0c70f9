// What the registry refuses in a payload, as the paths of the offending fields, so a test can
// say which field must fail rather than only that something did.
import { eventRegistry } from '../catalog.ts';
import { examplePayloads } from './example-payloads.ts';

export function rejectedPaths(type: string, data: unknown): string[] {
  const checked = eventRegistry.check(type, eventRegistry.get(type)?.version ?? 1, data);
  return checked.ok ? [] : checked.issues.map((issue) => issue.path);
}

/** The example payload of `type` with some fields replaced (an `undefined` value removes the field). */
export function exampleWith(type: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const example = examplePayloads[type];
  if (!example) throw new Error(`no example payload for ${type}`);
  const changed: Record<string, unknown> = { ...structuredClone(example), ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete changed[key];
  return changed;
}
