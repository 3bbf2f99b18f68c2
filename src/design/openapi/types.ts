/**
 * The parts of an OpenAPI 3.1 document this emitter writes. Plain JSON objects; key order is the
 * order the emitter inserts keys, which is fixed, so the document is byte-stable.
 */
import type { JsonSchema } from '../api/types.js';

export type Reference = { readonly $ref: string };

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  description: string;
  required: boolean;
  style?: 'deepObject';
  explode?: boolean;
  schema: JsonSchema;
  example?: unknown;
}

export interface HeaderObject {
  description: string;
  schema: JsonSchema;
  example?: unknown;
}

export interface MediaTypeObject {
  schema: JsonSchema;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, Reference>;
  content?: Record<string, MediaTypeObject>;
}

export interface RequestBodyObject {
  description: string;
  required: boolean;
  content: Record<string, MediaTypeObject>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
  tags: string[];
  summary: string;
  description: string;
  operationId: string;
  security?: SecurityRequirement[];
  parameters?: (ParameterObject | Reference)[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject | Reference>;
  'x-architect-ignore'?: Record<string, string>;
}

export type PathItemObject = {
  parameters?: ParameterObject[];
} & Partial<Record<'get' | 'post' | 'patch' | 'delete', OperationObject>>;

export interface SecuritySchemeObject {
  type: 'http' | 'apiKey';
  description: string;
  scheme?: string;
  bearerFormat?: string;
  in?: 'cookie' | 'header';
  name?: string;
}

export interface TagObject {
  name: string;
  description: string;
}

export interface ComponentsObject {
  schemas?: Record<string, JsonSchema>;
  parameters?: Record<string, ParameterObject>;
  headers?: Record<string, HeaderObject>;
  responses?: Record<string, ResponseObject>;
  securitySchemes?: Record<string, SecuritySchemeObject>;
}

export interface OpenAPIObject {
  openapi: '3.1.0';
  info: {
    title: string;
    version: string;
    description: string;
    contact: { name: string };
  };
  servers: { url: string; description: string }[];
  tags: TagObject[];
  paths: Record<string, PathItemObject>;
  components: ComponentsObject;
}
