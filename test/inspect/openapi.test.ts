// Behaviour of the OpenAPI check on inputs a portal actually serves: broken text, odd versions, refs that point
// outside the document — and the guarantee that validating never fetches anything.

import diagnosticsChannel from 'node:diagnostics_channel';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOpenApi } from '../../src/inspect/openapi/index.ts';

const oas30 = (extra: string) => `openapi: 3.0.3
info:
  title: 就業服務據點 API
  version: '1.0'
paths:
  /sites:
    get:
      responses:
        '200':
          description: ok
${extra}`;

describe('input that is not an OpenAPI document', () => {
  it.each([
    ['empty text', '', /empty/],
    ['only whitespace', ' \n\t\n', /empty/],
    ['a JSON array', '[{"openapi":"3.0.0"}]', /top level must be an object.*array/],
    ['a JSON string', '"openapi"', /top level must be an object/],
    ['garbage', '<html><body>404 Not Found</body></html>', /neither a "swagger" nor an "openapi"|top level must be an object/],
    ['binary', 'PK\u0003\u0004\u0000\u0000\u0008\u0000', /binary/],
    ['broken JSON', '{"openapi": "3.0.0",\n "info": {', /not valid JSON.*line 2/],
    ['broken YAML', 'openapi: 3.0.0\ninfo: [a, b\npaths: {}', /YAML error at line/],
    ['a CSV file', 'name,address\n台北,信義路\n', /top level must be an object/],
    ['JSON without a version field', '{"info":{"title":"x","version":"1"},"paths":{}}', /neither a "swagger" nor an "openapi"/],
  ])('%s → invalid with a reason', async (_name, text, reason) => {
    const r = await validateOpenApi(text);
    expect(r.valid).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toMatch(reason);
  });

  it('never throws, whatever the text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.constantFrom('openapi: 3.1.0\n', 'swagger: "2.0"\npaths: 1')), async (text) => {
        const r = await validateOpenApi(text);
        expect(typeof r.valid).toBe('boolean');
        if (!r.valid) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a YAML alias bomb instead of expanding it', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const r = await validateOpenApi(`openapi: 3.0.0\n${levels.join('\n')}\n`);
    expect(r.valid).toBe(false);
    expect(r.errors[0]!.message).toMatch(/expands to more than/);
  });

  it('refuses absurdly deep nesting instead of overflowing the stack', async () => {
    const r = await validateOpenApi(`{"openapi":"3.0.0","x-deep":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(r.valid).toBe(false);
    expect(r.errors[0]!.message).toMatch(/nested more than/);
  });
});

describe('formats and versions', () => {
  it('reads YAML, keeping numeric status codes and dates as strings', async () => {
    const r = await validateOpenApi(oas30('x-published: 2024-01-31\n'), { filename: 'api.yaml' });
    expect(r).toMatchObject({ valid: true, version: '3.0', format: 'yaml', errors: [] });
  });

  it('reads JSON with a byte-order mark', async () => {
    const doc = { swagger: '2.0', info: { title: 't', version: '1' }, paths: {} };
    const r = await validateOpenApi(`\uFEFF${JSON.stringify(doc)}`);
    expect(r).toMatchObject({ valid: true, version: '2.0', format: 'json' });
  });

  it.each([
    ['openapi: "3.0"', /not a full version number.*"3\.0\.0"/, '/openapi'],
    ['openapi: 3.1', /must be a string.*quote it/, '/openapi'],
    ['openapi: "3.2.0"', /unsupported OpenAPI version "3\.2\.0"/, '/openapi'],
    ['openapi: "4.0.0"', /unsupported OpenAPI version/, '/openapi'],
    ['swagger: 2.0', /must be the string "2\.0"/, '/swagger'],
    ['swagger: "1.2"', /unsupported Swagger version/, '/swagger'],
  ])('%s is rejected with a clear message', async (line, message, pointer) => {
    const r = await validateOpenApi(`${line}\ninfo: {title: t, version: '1'}\npaths: {}\n`);
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toMatchObject({ pointer });
    expect(r.errors[0]!.message).toMatch(message);
  });

  it('rejects a document claiming to be both Swagger and OpenAPI', async () => {
    const r = await validateOpenApi(`swagger: "2.0"\nopenapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n`);
    expect(r.valid).toBe(false);
    expect(r.errors[0]!.message).toMatch(/both/);
  });

  it('validates a newer 3.1 patch release as the latest it knows, with a warning', async () => {
    const r = await validateOpenApi(`openapi: 3.1.7\ninfo: {title: t, version: '1'}\npaths: {}\n`);
    expect(r.valid).toBe(true);
    expect(r.version).toBe('3.1');
    expect(r.warnings.join('\n')).toMatch(/3\.1\.7.*newer/);
  });

  it('accepts a 3.1 document holding only components', async () => {
    const r = await validateOpenApi(`openapi: 3.1.0\ninfo: {title: t, license: {name: MIT}, version: '1'}\ncomponents: {schemas: {A: {type: object}}}\n`);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('caps the error list', async () => {
    const params = Array.from({ length: 30 }, (_, i) => `        - {name: p${i}, in: query, type: nonsense}`).join('\n');
    const r = await validateOpenApi(`swagger: "2.0"\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      parameters:\n${params}\n      responses: {default: {description: d}}\n`);
    expect(r.valid).toBe(false);
    expect(r.errors.length).toBe(10);
  });
});

describe('$ref handling', () => {
  it('reports a local ref that does not resolve, where it is', async () => {
    const r = await validateOpenApi(oas30(`components:
  schemas:
    Site:
      type: object
      properties:
        city: {$ref: '#/components/schemas/City'}
`));
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toEqual({
      pointer: '/components/schemas/Site/properties/city',
      message: '$ref "#/components/schemas/City" does not resolve: no "City" in /components/schemas',
    });
  });

  it('reports a ref to a sibling file as outside the document, and suggests the local ref', async () => {
    const r = await validateOpenApi(oas30(`components:
  schemas:
    Site: {$ref: 'components/schemas/Other'}
    Other: {type: string}
`));
    expect(r.valid).toBe(false);
    expect(r.errors[0]!.message).toMatch(/points to another file.*did you mean "#\/components\/schemas\/Other"/);
  });

  it('does not read a file: ref', async () => {
    const r = await validateOpenApi(oas30(`components:\n  schemas:\n    Secret: {$ref: 'file:///etc/passwd'}\n`));
    expect(r.valid).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/file:\/\/\/etc\/passwd.*not followed/);
  });

  it('resolves a recursive schema without looping', async () => {
    const r = await validateOpenApi(oas30(`components:
  schemas:
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
`));
    expect(r).toMatchObject({ valid: true, errors: [] });
  });

  it('ignores "$ref" keys inside examples, which are data', async () => {
    const r = await validateOpenApi(oas30(`components:
  schemas:
    Doc:
      type: object
      example: {$ref: 'not/a/reference'}
`));
    expect(r.valid).toBe(true);
  });
});

describe('external refs are never fetched', () => {
  let server: Server;
  let requests = 0;
  let base = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      res.end('{"type":"string"}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  it.each([
    ['Swagger 2.0', `swagger: "2.0"\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {description: ok, schema: {$ref: 'URL'}}\n`],
    ['OpenAPI 3.0', oas30(`components:\n  schemas:\n    Remote: {$ref: 'URL'}\n`)],
    ['OpenAPI 3.1', `openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    Remote: {$ref: 'URL'}\n`],
  ])('%s: a $ref to a loopback URL is reported, and the server receives nothing', async (_name, template) => {
    const url = `${base}/x.json#/Thing`;
    // Every HTTP request Node starts, by either client, is announced synchronously on these channels: no waiting
    // for a stray request to arrive at the server before counting.
    const started: string[] = [];
    const seen = (m: unknown) => started.push(String((m as { request?: { path?: string } }).request?.path ?? 'request'));
    const channels = ['undici:request:create', 'http.client.request.start'];
    for (const c of channels) diagnosticsChannel.subscribe(c, seen);
    try {
      const r = await validateOpenApi(template.replace('URL', url));
      expect(r.errors).toEqual([]);
      expect(r.warnings.some((w) => w.includes(url) && /not followed/.test(w))).toBe(true);
    } finally {
      for (const c of channels) diagnosticsChannel.unsubscribe(c, seen);
    }
    expect(started).toEqual([]);
    expect(requests).toBe(0);
  });
});

describe('OpenAPI 3.x path templates and operationIds (prose rules beyond the schema)', () => {
  const doc = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths, ...extra });
  const ok = { responses: { '200': { description: 'ok' } } };
  const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

  it('a template expression with no path parameter fails, pointing at the operation', async () => {
    const r = await validateOpenApi(doc({ '/pets/{id}': { get: ok } }));
    expect(r).toMatchObject({ valid: false, schemaValid: true });
    expect(r.errors).toEqual([{ pointer: '/paths/~1pets~1{id}/get', message: 'path template expression {id} of "/pets/{id}" has no matching "in: path" parameter in the GET operation' }]);
  });

  it('a path parameter named differently from the template fails on both counts', async () => {
    const r = await validateOpenApi(doc({ '/pets/{id}': { get: { ...ok, parameters: [pathParam('petId')] } } }));
    expect(r.errors.map((e) => e.pointer)).toEqual(['/paths/~1pets~1{id}/get', '/paths/~1pets~1{id}/get/parameters/0']);
    expect(r.errors[1]!.message).toBe('path parameter "petId" does not appear in the path template "/pets/{id}"');
  });

  it('path-level, operation-level and $ref\'d parameters all count', async () => {
    const r = await validateOpenApi(doc(
      { '/a/{x}/b/{y}': { parameters: [pathParam('x')], get: { ...ok, parameters: [{ $ref: '#/components/parameters/Y' }] }, put: { ...ok, parameters: [pathParam('y')] } } },
      { components: { parameters: { Y: pathParam('y') } } },
    ));
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('3.1 is checked too, and duplicate operationIds are reported', async () => {
    const text = JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { ...ok, operationId: 'list' } }, '/b': { get: { ...ok, operationId: 'list' } } } });
    const r = await validateOpenApi(text);
    expect(r.errors).toEqual([{ pointer: '/paths/~1b/get/operationId', message: 'operationId "list" is not unique: /paths/~1a/get uses it too' }]);
  });
});
