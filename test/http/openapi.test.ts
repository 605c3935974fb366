import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { routeDocs } from '../../lambdas/handlers/api/route-docs.js';
import { buildOpenApiDocument } from '../../lambdas/http/openapi.js';
import { routes } from '../../lambdas/system.js';

type Paths = Record<string, Record<string, Record<string, unknown>>>;
const document = await buildOpenApiDocument(routeDocs);
const paths = document.paths as Paths;

describe('GET /openapi.json document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it('documents every declared route under its path and method, and nothing else', () => {
    const documented = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const declared = routes.map((route) => `${route.method} ${route.path}`);
    expect(documented.sort()).toEqual([...declared].sort());
  });

  it('documents the query parameters a route validates, from the same schema', () => {
    const clusters = paths['/clusters']?.get as { parameters: { name: string; in: string }[] };
    expect(clusters.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ['query:attributed', 'query:cursor', 'query:format', 'query:limit', 'query:month'].sort(),
    );
    const member = paths['/members/{member}']?.get as {
      parameters: { name: string; in: string; required: boolean }[];
    };
    expect(member.parameters).toEqual([
      expect.objectContaining({ name: 'member', in: 'path', required: true }),
    ]);
  });

  it('asks a token of every route with a role, and names the role', () => {
    expect(paths['/openapi.json']?.get?.security).toEqual([]);
    expect(paths['/health']?.get?.security).toEqual([]);
    expect(paths['/accounts']?.get?.security).toEqual([{ bearer: [] }]);
    const accounts = paths['/accounts']?.get as Record<string, unknown> | undefined;
    expect(accounts?.['x-flywheel-role']).toBe('viewer');
    const audit = paths['/admin/audit']?.get as Record<string, unknown> | undefined;
    expect(audit?.['x-flywheel-role']).toBe('admin');
  });
});
