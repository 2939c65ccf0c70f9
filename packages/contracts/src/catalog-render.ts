// Renders the event catalog from the registry: the Markdown page and a JSON Schema per event
// type. Pure, so the staleness test and the generator script produce the same bytes.
import { z } from 'zod';
import { AGENCY_TITLES, SERVICES } from './agencies.ts';
import { eventRegistry } from './catalog.ts';
import { NewEventSchema } from './envelope.ts';
import type { EventDefinition } from './registry.ts';

type JsonSchemaNode = { type?: string | string[]; properties?: Record<string, JsonSchemaNode>; required?: string[]; description?: string; enum?: unknown[]; format?: string; pattern?: string; anyOf?: JsonSchemaNode[]; const?: unknown; items?: JsonSchemaNode; maxLength?: number };

function schemaFileName(definition: EventDefinition): string {
  return `${definition.type}.v${definition.version}.json`;
}

function describeType(node: JsonSchemaNode): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (node.anyOf) return node.anyOf.map(describeType).join(' or ');
  if (node.description?.startsWith('personal data')) return 'sealed personal field';
  const type = Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'any');
  if (type === 'array' && node.items) return `array of ${describeType(node.items)}`;
  if (node.format) return `${type} (${node.format})`;
  if (node.pattern === '^[0-7][0-9A-HJKMNP-TV-Z]{25}$') return 'ULID';
  return type;
}

function fieldTable(schema: JsonSchemaNode): string {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(properties).map(([name, node]) => {
    const description = (node.description ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
    return `| \`${name}\` | ${describeType(node)} | ${required.has(name) ? 'yes' : 'no'} | ${description} |`;
  });
  return ['| field | type | required | notes |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function renderCatalog(): Map<string, string> {
  const files = new Map<string, string>();
  const definitions = eventRegistry.all();
  const lines: string[] = [
    '# Event catalog',
    '',
    'Generated from `packages/contracts` by `npm run catalog`; do not edit by hand (CI fails when it is stale).',
    'Every event travels in the envelope below; `data` is the payload of the event type. JSON Schemas of each',
    'payload are in [`schemas/`](schemas/).',
    '',
    '## Envelope',
    '',
    fieldTable(z.toJSONSchema(NewEventSchema) as JsonSchemaNode),
    '',
    'The store adds `stream`, `revision`, `position`, `recordedAt`, `prevHash` and `hash` (SHA-256 over the RFC 8785',
    'form of everything but `hash` and `position`).',
    '',
  ];
  for (const agency of SERVICES) {
    const ofAgency = definitions.filter((definition) => definition.agency === agency);
    if (ofAgency.length === 0) continue;
    lines.push(`## ${agency}: ${AGENCY_TITLES[agency].en} (${AGENCY_TITLES[agency].vi})`, '');
    for (const definition of ofAgency) {
      const jsonSchema = z.toJSONSchema(definition.schema) as JsonSchemaNode;
      files.set(`schemas/${schemaFileName(definition)}`, `${JSON.stringify({ $id: `urn:nrm:event:${definition.type}:v${definition.version}`, title: definition.type, ...jsonSchema }, null, 2)}\n`);
      lines.push(`### \`${definition.type}\` v${definition.version}`, '', definition.description, '');
      if (definition.upcasters.length > 0) lines.push(`Older versions 1..${definition.version - 1} are upcast on read.`, '');
      lines.push(fieldTable(jsonSchema), '', `Schema: [\`${schemaFileName(definition)}\`](schemas/${schemaFileName(definition)})`, '');
    }
  }
  files.set('events.md', `${lines.join('\n').trimEnd()}\n`);
  return files;
}
