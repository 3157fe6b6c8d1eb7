import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '#shared/domain/errors.ts';
import { maxJsonBodyBytes, parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';

const propertyInput = z.object({ name: z.string().min(1), timeZone: z.string() });
const jsonRequest = (body: string, contentType = 'application/json') => ({
  body,
  isBase64Encoded: false,
  headers: { 'content-type': contentType },
});

describe('a JSON body', () => {
  it('is parsed with its schema', () => {
    const input = parseJsonBody(jsonRequest('{"name":"Sea View","timeZone":"Europe/Lisbon"}'), propertyInput);

    expect(input).toEqual({ name: 'Sea View', timeZone: 'Europe/Lisbon' });
  });

  it('is read from base64 when API Gateway encoded it', () => {
    const body = Buffer.from('{"name":"Loft","timeZone":"UTC"}').toString('base64');

    const input = parseJsonBody({ ...jsonRequest(body), isBase64Encoded: true }, propertyInput);

    expect(input.name).toBe('Loft');
  });

  it('names every failing field', () => {
    const parsing = () => parseJsonBody(jsonRequest('{"name":""}'), propertyInput);

    expect(parsing).toThrow(InvalidInputError);
    try {
      parsing();
    } catch (error) {
      expect((error as InvalidInputError).problems.map((problem) => problem.field)).toEqual([
        'body.name',
        'body.timeZone',
      ]);
    }
  });

  it('that is not JSON is refused as invalid input', () => {
    expect(() => parseJsonBody(jsonRequest('{"name":'), propertyInput)).toThrow(InvalidInputError);
  });

  it('sent as another media type is refused with 415', () => {
    expect(() =>
      parseJsonBody(jsonRequest('name=x', 'application/x-www-form-urlencoded'), propertyInput),
    ).toThrow(UnsupportedMediaTypeError);
  });

  it('accepts a JSON media type with a charset', () => {
    expect(() =>
      parseJsonBody(
        jsonRequest('{"name":"A","timeZone":"UTC"}', 'application/json; charset=utf-8'),
        propertyInput,
      ),
    ).not.toThrow();
  });

  it('that is too large is refused with 413', () => {
    const huge = JSON.stringify({ name: 'x'.repeat(maxJsonBodyBytes), timeZone: 'UTC' });

    expect(() => parseJsonBody(jsonRequest(huge), propertyInput)).toThrow(PayloadTooLargeError);
  });
});

describe('the query and the path', () => {
  it('are parsed with their schemas and their fields named when wrong', () => {
    const query = z.object({ limit: z.coerce.number().int().max(100) });

    expect(parseQuery({ queryStringParameters: { limit: '20' } }, query)).toEqual({ limit: 20 });
    expect(() => parseQuery({ queryStringParameters: { limit: '500' } }, query)).toThrow(InvalidInputError);
    expect(() => parsePathParameters({ pathParameters: {} }, z.object({ lockId: z.string() }))).toThrow(
      InvalidInputError,
    );
  });
});
