import { describe, expect, it } from 'vitest';
import { compileRoutes } from '#infra/local/gateway.ts';
import type { RouteDefinition } from '#infra/routes.ts';

const route = (path: string): RouteDefinition => ({
  method: 'GET',
  path,
  function: 'health',
  auth: 'public',
  docs: { summary: path, tag: 'Test', responses: { 200: { description: 'ok' } } },
});

describe('the local gateway matches routes as API Gateway does', () => {
  const compiled = compileRoutes([route('/pages/{proxy+}'), route('/locks/{lockId}'), route('/locks/mine')]);
  const first = (path: string) => compiled.find((entry) => entry.pattern.test(path))?.route.path;

  it('prefers a literal path to a parameter', () => {
    expect(first('/locks/mine')).toBe('/locks/mine');
    expect(first('/locks/l-42')).toBe('/locks/{lockId}');
  });

  it('lets a greedy parameter take the rest of the path, and a plain one a single segment', () => {
    expect(first('/pages/guest/index.html')).toBe('/pages/{proxy+}');
    expect(first('/locks/l-42/extra')).toBeUndefined();
  });
});
