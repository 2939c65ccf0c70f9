// A minimal request that passes a route's own validation, built from the JSON Schemas of its
// OpenAPI operation: the access matrix needs valid requests, because Fastify validates the body
// before the preHandler role and agency guards run, so an invalid body answers 400 and would hide
// a 403. Values are placeholders (ULIDs that name nothing, the first enum member, a sample of
// each known pattern); the matrix overrides the few bodies this cannot build.

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
};

export type OpenApiParameter = { in: 'path' | 'query' | 'header' | 'cookie'; name: string; required?: boolean; schema?: JsonSchema };
export type OpenApiOperation = { parameters?: OpenApiParameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } };

export const PLACEHOLDER_ULID = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
const NOW_ISO = '2026-01-15T08:00:00.000Z';

/** A value for each pattern the backbone's schemas use; an unknown pattern fails loudly. */
const PATTERN_SAMPLES: readonly [RegExp, string][] = [
  [/^\^\[0-7\]\[0-9A-HJKMNP-TV-Z\]\{25\}\$$/, PLACEHOLDER_ULID],
  [/^\^\[A-Z\]\{2\}\$$/, 'KH'],
  [/T\(\?:\(\?:\[01\]/, NOW_ISO],
  [/-02-29\|.*\)\)\)\$$/, '2026-01-15'],
  [/^\^\[a-z\]\{2\}-/, 'kh-matrix-desk'],
  [/^\^\(20/, '2026-Q1'],
  [/@/, 'office@example.org'],
  [/^\^\\\+\?\[0-9\]/, '+84 24 3826 9999'],
  [/^\^\[A-Za-z0-9-\]\{3,32\}\$$/, 'ref-001'],
  [/^\^\[A-Za-z0-9\]\[A-Za-z0-9._-\]/, 'ref.001'],
  [/^\^\[A-Za-z0-9_-\]\+\$$/, 'AAAA'],
  [/^\^\\d\{1,15\}\$$/, '1'],
];

function stringFor(schema: JsonSchema): string {
  if (schema.pattern !== undefined) {
    const sample = PATTERN_SAMPLES.find(([matcher]) => matcher.test(schema.pattern!))?.[1];
    if (sample === undefined) throw new Error(`no sample for the pattern ${schema.pattern}`);
    if (!new RegExp(schema.pattern, 'u').test(sample)) throw new Error(`the sample ${sample} does not match ${schema.pattern}`);
    return sample;
  }
  if (schema.format === 'date-time') return NOW_ISO;
  if (schema.format === 'date') return '2026-01-15';
  if (schema.format === 'email') return 'office@example.org';
  return 'x'.repeat(Math.max(schema.minLength ?? 1, 8));
}

/**
 * The cross-field rules a JSON Schema cannot say, as the first enum members trip them: an optional
 * `referralId` is given (the first `requestedBy` or `outcome` is a referral), and a person of a
 * child's age group is a child.
 */
function withCrossFieldRules(value: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
  if (schema.properties?.referralId && value.referralId === undefined) value.referralId = sampleOf(schema.properties.referralId);
  if (typeof value.child === 'boolean' && value.ageGroup !== undefined) value.child = true;
  return value;
}

export function sampleOf(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return sampleOf(alternatives.find((alternative) => alternative.type !== 'null') ?? alternatives[0]!);
  const type = Array.isArray(schema.type) ? schema.type.find((each) => each !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) value[name] = sampleOf(schema.properties?.[name] ?? {});
      return withCrossFieldRules(value, schema);
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items ?? {}));
    case 'string':
      return stringFor(schema);
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, (schema.exclusiveMinimum ?? 0) + 1);
    case 'boolean':
      return false;
    default:
      return schema.default ?? null;
  }
}

export type SampleRequest = { params: Record<string, string>; query: Record<string, string>; body: unknown };

/** The path parameters, required query parameters and JSON body of an operation, sampled. */
export function sampleRequest(operation: OpenApiOperation | undefined): SampleRequest {
  const params: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const parameter of operation?.parameters ?? []) {
    if (parameter.in === 'path') params[parameter.name] = String(sampleOf(parameter.schema ?? {}));
    if (parameter.in === 'query' && parameter.required) query[parameter.name] = String(sampleOf(parameter.schema ?? {}));
  }
  const schema = operation?.requestBody?.content?.['application/json']?.schema;
  return { params, query, body: schema ? sampleOf(schema) : undefined };
}
