/**
 * The contract check: every response the suites produce must be documented by the generated
 * OpenAPI document for its route, method and status, and its body must validate against the
 * documented schema. The document is given to ajv whole, and each response schema is compiled
 * by JSON pointer into it, so `$ref`s resolve exactly as an OpenAPI consumer would.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Model } from '../../../src/blueprint/index.js';
import { addApiVocabulary } from '../../../src/design/api/index.js';
import { emitOpenApi } from '../../../src/design/openapi/index.js';

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  readonly methods: Record<
    string,
    { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }
  >;
}

export interface ContractViolation {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly problem: string;
}

function pointer(...parts: string[]): string {
  return parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export function createContractChecker(model: Model) {
  const document = emitOpenApi(model) as unknown as {
    paths: Record<string, Route['methods']>;
  };
  const ajv = addApiVocabulary(new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true }));
  ajv.addSchema({ ...(document as object), $id: 'openapi.json' });
  const routes: Route[] = Object.entries(document.paths).map(([template, methods]) => ({
    template,
    pattern: new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
    ),
    methods,
  }));
  // Literal segments win over parameters (`/products/bulk` before `/products/{id}`).
  routes.sort((a, b) => a.template.split('{').length - b.template.split('{').length);
  const validators = new Map<string, ValidateFunction>();

  return {
    document,
    /** Undefined when the response keeps the contract, else what is wrong. */
    check(
      method: string,
      url: string,
      status: number,
      body: unknown,
      contentType: string | undefined,
    ): string | undefined {
      const path = url.split('?')[0]!;
      const route = routes.find(
        (candidate) => candidate.pattern.test(path) && candidate.methods[method.toLowerCase()],
      );
      if (!route) {
        // A method a resource refuses (append-only, read-only) is not an operation, but its
        // answer still speaks the error envelope.
        const known = routes.find((candidate) => candidate.pattern.test(path));
        if (known && status === 405) {
          let validate = validators.get('405');
          if (!validate) {
            validate = ajv.compile({ $ref: 'openapi.json#/components/schemas/Error' });
            validators.set('405', validate);
          }
          return validate(body)
            ? undefined
            : `405 body is not the error envelope: ${ajv.errorsText(validate.errors)}`;
        }
        return `no documented operation for ${method} ${path}`;
      }
      const operation = route.methods[method.toLowerCase()]!;
      const statusKey = operation.responses[String(status)] ? String(status) : 'default';
      let response = operation.responses[statusKey] as
        | { $ref?: string; content?: Record<string, { schema?: unknown }> }
        | undefined;
      let responsePointer = pointer('paths', route.template, method.toLowerCase(), 'responses', statusKey);
      if (response?.$ref) {
        // `#/components/responses/NotFound`: follow it, as a client would.
        const name = response.$ref.split('/').at(-1)!;
        response = (document as unknown as { components: { responses: Record<string, typeof response> } })
          .components.responses[name];
        responsePointer = pointer('components', 'responses', name);
      }
      if (!response)
        return `status ${status} is not documented for ${method} ${route.template} (documented: ${Object.keys(operation.responses).join(', ')})`;
      const media = response.content?.['application/json'];
      if (!media?.schema) {
        return body === undefined || body === ''
          ? undefined
          : `status ${status} documents no body but one was sent`;
      }
      if (!contentType?.startsWith('application/json'))
        return `expected application/json, got ${contentType}`;
      const key = `${route.template} ${method} ${status}`;
      let validate = validators.get(key);
      if (!validate) {
        const ref = `openapi.json#/${responsePointer}/${pointer('content', 'application/json', 'schema')}`;
        validate = ajv.compile({ $ref: ref });
        validators.set(key, validate);
      }
      if (validate(body)) return undefined;
      let errors = validate.errors ?? [];
      // docs/api.md: with `fields=` an item carries only the chosen properties (and the key), so
      // a missing property of a page item or item read is the documented sparse fieldset.
      if (/[?&]fields=/.test(url)) {
        errors = errors.filter(
          (error) => !(error.keyword === 'required' && /^(\/data\/\d+)?$/.test(error.instancePath)),
        );
      }
      return errors.length === 0
        ? undefined
        : `body does not match the documented schema: ${ajv.errorsText(errors)}`;
    },
  };
}
