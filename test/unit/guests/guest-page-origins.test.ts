/**
 * Specification of the origin the guest API admits besides its own host: the pages' public origin, from
 * PAGES_ORIGIN, as browsers write it in the Origin header.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { guestPageOrigins } from '#functions/commons/guest-services.ts';
import { MissingConfigurationError, resourceVariables } from '#shared/config.ts';

const saved = process.env[resourceVariables.pagesOrigin];
afterEach(() => {
  if (saved === undefined) delete process.env[resourceVariables.pagesOrigin];
  else process.env[resourceVariables.pagesOrigin] = saved;
});

describe('the guest page origins', () => {
  it('are the configured pages origin, written as an Origin header writes it', () => {
    process.env[resourceVariables.pagesOrigin] = 'https://d111111abcdef8.cloudfront.net/';

    expect(guestPageOrigins()).toEqual(['https://d111111abcdef8.cloudfront.net']);
  });

  it('keep a port, as the local gateway has one', () => {
    process.env[resourceVariables.pagesOrigin] = 'http://127.0.0.1:3000';

    expect(guestPageOrigins()).toEqual(['http://127.0.0.1:3000']);
  });

  it('fail the cold start with the variable’s name when it is missing', () => {
    delete process.env[resourceVariables.pagesOrigin];

    expect(() => guestPageOrigins()).toThrow(MissingConfigurationError);
    expect(() => guestPageOrigins()).toThrow(resourceVariables.pagesOrigin);
  });
});
