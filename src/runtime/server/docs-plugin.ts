/**
 * `GET /docs`: an interactive API reference (Swagger UI) rendered in the browser from
 * `/openapi.json`. Its script and styles are served from the installed `swagger-ui-dist` package
 * (no CDN, so it works offline and behind firewalls), and the page has no inline script so the
 * content security policy can stay strict.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Model } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import { securityHeaders } from './security-plugin.js';

/** The assets the page loads, by the name it uses, with their content type. */
export const DOCS_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** What the reference page may load: its own assets, inline styles Swagger UI sets, data: images. */
export const DOCS_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
  },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(model: Model): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(model.title)} API reference</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;
}

/** Starts Swagger UI on the served document; `validatorUrl: null` keeps it from calling out. */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

function assetsFolder(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

export const docsPlugin = fp(
  async (app: FastifyInstance, options: { model: Model }) => {
    const html = page(options.model);
    const folder = assetsFolder();
    const cache = new Map<string, Promise<Buffer>>();
    // A document's headers, with the page's own policy, replace the API's (route hooks run
    // after the app's).
    const headers = securityHeaders(DOCS_CONTENT_SECURITY_POLICY);
    const routeOptions = {
      onRequest: (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        reply.headers(headers);
        done();
      },
    };

    app.get('/docs', routeOptions, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(html),
    );
    app.get('/docs/init.js', routeOptions, async (_request, reply) =>
      reply.type('application/javascript; charset=utf-8').send(INIT_SCRIPT),
    );
    app.get<{ Params: { file: string } }>('/docs/assets/:file', routeOptions, async (request, reply) => {
      const { file } = request.params;
      const type = DOCS_ASSETS[file];
      if (!type) throw new ArchitectError('NOT_FOUND', { resource: `Asset ${file}` });
      let content = cache.get(file);
      if (!content) {
        content = readFile(join(folder, file));
        cache.set(file, content);
      }
      // The package version pins the content, so browsers may keep it for a day.
      return reply
        .type(type)
        .header('cache-control', 'public, max-age=86400')
        .send(await content);
    });
  },
  { name: 'architect-docs', fastify: '5.x' },
);
