// Renders the event catalog from the registry: the Markdown page and a JSON Schema per event
// type. Pure, so the staleness test and the generator script produce the same bytes.
import { z } from 'zod';
import { AGENCY_TITLES, SERVICES } from './agencies.ts';
import { renderAsyncApi } from './asyncapi-render.ts';
import { eventRegistry } from './catalog.ts';
import { NewEventSchema } from './envelope.ts';
import { BORDER_GATES } from './reference/border-gates.ts';
import { HOME_COUNTRY, NEIGHBOUR_COUNTRIES } from './reference/countries.ts';
import { PROVINCE_NAMES, PROVINCES, PROVINCES_EFFECTIVE } from './reference/provinces.ts';
import type { EventDefinition } from './registry.ts';

type JsonSchemaNode = {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  description?: string;
  title?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  anyOf?: JsonSchemaNode[];
  const?: unknown;
  items?: JsonSchemaNode;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
};

/** Titled vocabularies too long to repeat in every row: their rows link to the reference section instead. */
const REFERENCE_ANCHORS: Record<string, string> = { Province: 'provinces', CurrentProvince: 'provinces', BorderGate: 'border-gates', Country: 'countries' };

function schemaFileName(definition: EventDefinition): string {
  return `${definition.type}.v${definition.version}.json`;
}

function isSealed(node: JsonSchemaNode): boolean {
  return node.properties?.sealed?.const === 'nrm.v1';
}

function range(min: number | undefined, max: number | undefined): string {
  if (min === undefined && max === undefined) return '';
  if (max === undefined || max >= Number.MAX_SAFE_INTEGER) return ` ≥ ${min}`;
  if (min === undefined || min <= Number.MIN_SAFE_INTEGER) return ` ≤ ${max}`;
  return ` ${min}..${max}`;
}

function describeType(node: JsonSchemaNode): string {
  if (isSealed(node)) return '[sealed personal field](#sealed-personal-fields)';
  if (node.title && REFERENCE_ANCHORS[node.title]) return `[${node.title}](#${REFERENCE_ANCHORS[node.title]})`;
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (node.anyOf) return node.anyOf.map(describeType).join(' or ');
  const type = Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'any');
  if (type === 'array' && node.items) return `array${range(node.minItems, node.maxItems)} of ${describeType(node.items)}`;
  if (type === 'integer') return `integer${range(node.minimum, node.maximum)}`;
  if (node.format) return `${type} (${node.format})`;
  if (node.pattern === '^[0-7][0-9A-HJKMNP-TV-Z]{25}$') return 'ULID';
  return type;
}

/** The members of a nested object (or of each item of an array of objects); a sealed field is one opaque value. */
function nestedObjectOf(node: JsonSchemaNode): { node: JsonSchemaNode; suffix: string } | undefined {
  if (isSealed(node)) return undefined;
  if (node.properties) return { node, suffix: '.' };
  if (node.items?.properties && !isSealed(node.items)) return { node: node.items, suffix: '[].' };
  return undefined;
}

function fieldRows(schema: JsonSchemaNode, prefix: string): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, node]) => {
    // The type column already says a field is sealed; only a description of its own adds anything.
    const own = isSealed(node) && node.description?.startsWith('personal data') ? '' : (node.description ?? '');
    const description = own.replaceAll('|', '\\|').replaceAll('\n', ' ');
    const row = `| \`${prefix}${name}\` | ${describeType(node)} | ${required.has(name) ? 'yes' : 'no'} | ${description} |`;
    const nested = nestedObjectOf(node);
    return nested ? [row, ...fieldRows(nested.node, `${prefix}${name}${nested.suffix}`)] : [row];
  });
}

function fieldTable(schema: JsonSchemaNode): string {
  return ['| field | type | required | notes |', '| --- | --- | --- | --- |', ...fieldRows(schema, '')].join('\n');
}

function referenceSection(): string[] {
  return [
    '## Reference data',
    '',
    '### Provinces',
    '',
    `A \`Province\` is one of the ${PROVINCES.length} provincial units in force since ${PROVINCES_EFFECTIVE}, or one of the ${PROVINCE_NAMES.length} units before`,
    'it (records dated earlier name those); statistics count a former unit in the current one that absorbed it.',
    '',
    '| current unit | kind | formed from |',
    '| --- | --- | --- |',
    ...PROVINCES.map((unit) => `| ${unit.name} | ${unit.kind} | ${unit.formerly.join(', ')} |`),
    '',
    '### Border gates',
    '',
    'A `BorderGate` is one of the main international land border gates (not an official or exhaustive list).',
    '',
    '| gate | province | country | facing gate |',
    '| --- | --- | --- | --- |',
    ...BORDER_GATES.map((entry) => `| ${entry.gate} | ${entry.province} | ${entry.country} | ${entry.facing} |`),
    '',
    '### Sealed personal fields',
    '',
    'Personal data appears only as a sealed envelope `{ sealed: "nrm.v1", subject, kid, alg: "A256GCM", iv, ct, tag }`: AES-256-GCM under a',
    'data key of `subject`, the vault subject the payload names (`personId`, or `tipId` / `rescueId` for what a tip or a rescue',
    'request holds). Erasing the subject\'s keys leaves every envelope about them unreadable while the log stays verifiable.',
    '',
    '### Countries',
    '',
    `A \`Country\` is an ISO 3166-1 alpha-2 code in capitals. Viet Nam (${HOME_COUNTRY}) has land border gates with ${NEIGHBOUR_COUNTRIES.join(', ')}.`,
    '',
  ];
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
  lines.push(...referenceSection());
  files.set('asyncapi.yaml', renderAsyncApi());
  files.set('events.md', `${lines.join('\n').trimEnd()}\n`);
  return files;
}
