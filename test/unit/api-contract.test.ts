import { describe, expect, it } from 'vitest';
import { functions } from '#infra/functions.ts';
import { openApiDocument } from '#infra/openapi.ts';
import { routeKey, routes } from '#infra/routes.ts';

describe('the API contract', () => {
  const document = openApiDocument();
  const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
  );

  it('documents exactly the routes the route table serves', () => {
    expect(documented.sort()).toEqual(routes.map(routeKey).sort());
  });

  it('has each route once, served by a function that exists', () => {
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of routes) expect(Object.keys(functions)).toContain(route.function);
  });

  it('declares every path parameter a route uses', () => {
    for (const route of routes) {
      const names = [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((match) => match[1]);
      const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as 'get'];
      const declared = (operation?.parameters ?? [])
        .filter((parameter) => 'in' in parameter && parameter.in === 'path')
        .map((parameter) => ('name' in parameter ? parameter.name : undefined));
      expect(declared.sort(), routeKey(route)).toEqual(names.sort());
    }
  });

  it('asks for the Cognito token on every host route and on no public one', () => {
    for (const route of routes) {
      const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as 'get'];
      expect(operation?.security, routeKey(route)).toEqual(route.auth === 'host' ? [{ cognito: [] }] : []);
    }
  });

  it('promises at least one successful answer per route', () => {
    for (const route of routes) {
      expect(
        Object.keys(route.docs.responses).some((status) => Number(status) < 300),
        routeKey(route),
      ).toBe(true);
    }
  });
});
