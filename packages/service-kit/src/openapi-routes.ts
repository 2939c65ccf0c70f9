// Each service serves its own OpenAPI 3 document, cut from the app's document (generated from
// the routes' zod schemas) to the paths under its prefix, and a plain HTML reference page made
// from it on the server: no scripts, no external assets, readable offline and by screen readers.
import type { FastifyInstance } from 'fastify';

type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: Record<string, unknown>;
  [key: string]: unknown;
};
type OpenApiOperation = {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
};

export function serviceDocument(full: OpenApiDocument, prefix: string, title: string, description: string): OpenApiDocument {
  const paths = Object.fromEntries(Object.entries(full.paths ?? {}).filter(([path]) => path === prefix || path.startsWith(`${prefix}/`)));
  return { ...full, info: { ...full.info, title, description }, servers: [{ url: '/' }], paths };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function schemaBlock(schema: unknown): string {
  return schema === undefined ? '' : `<pre>${escape(JSON.stringify(schema, null, 2))}</pre>`;
}

export function renderReference(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
      const parameters = (operation.parameters ?? [])
        .map((parameter) => `<tr><td><code>${escape(parameter.name)}</code></td><td>${escape(parameter.in)}</td><td>${parameter.required ? 'yes' : 'no'}</td><td>${escape(parameter.description ?? '')}</td></tr>`)
        .join('');
      const body = operation.requestBody?.content?.['application/json']?.schema;
      const responses = Object.entries(operation.responses ?? {})
        .map(([status, response]) => `<h4>${escape(status)} ${escape(response.description ?? '')}</h4>${schemaBlock(Object.values(response.content ?? {})[0]?.schema)}`)
        .join('');
      return {
        id,
        label: `${method.toUpperCase()} ${path}`,
        html: `<section id="${id}"><h3><code>${escape(method.toUpperCase())} ${escape(path)}</code></h3><p>${escape(operation.summary ?? '')}</p>${operation.security && operation.security.length === 0 ? '<p>No token needed.</p>' : '<p>Needs a Bearer token.</p>'}${parameters ? `<table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>about</th></tr></thead><tbody>${parameters}</tbody></table>` : ''}${body ? `<h4>Request body</h4>${schemaBlock(body)}` : ''}${responses}</section>`,
      };
    }),
  );
  const title = escape(String(document.info.title ?? 'API'));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:70rem;margin:auto;padding:1rem;color:#111}pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:13px}section{border-top:1px solid #ccc;margin-top:1.5rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}a{color:#0645ad}</style></head>
<body><header><h1>${title}</h1><p>${escape(String(document.info.description ?? ''))}</p><p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI ${escape(document.openapi)}). Errors are <code>application/problem+json</code> (RFC 9457).</p></header>
<nav aria-label="Operations"><ul>${operations.map((operation) => `<li><a href="#${operation.id}">${escape(operation.label)}</a></li>`).join('')}</ul></nav><main>${operations.map((operation) => operation.html).join('')}</main></body></html>`;
}

export async function openApiRoutes(app: FastifyInstance, options: { pathPrefix: string; title: string; description: string }): Promise<void> {
  const documentOf = () => serviceDocument((app as unknown as { swagger(): OpenApiDocument }).swagger(), options.pathPrefix, options.title, options.description);
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => documentOf());
  app.get('/docs', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.type('text/html; charset=utf-8');
    return renderReference(documentOf());
  });
}
