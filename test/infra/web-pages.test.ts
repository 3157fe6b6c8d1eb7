/**
 * The web pages in AWS: a private, encrypted, SSL-only bucket read by CloudFront through origin access control;
 * HTTPS only; the guest page at /stay/ with the very headers the local gateway sends; the guest API passed
 * through on the same origin; the console at /console/ with its runtime config; CORS on the HTTP API for the
 * distribution's origin only; and PAGES_ORIGIN given to the functions that make guest links or admit the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionNames, functions } from '#infra/functions.ts';
import { guestPageHeaders } from '#infra/guest-page.ts';
import { resourceVariables } from '#shared/config.ts';
import { edgeSecretHeader } from '#shared/http/viewer-address.ts';
import {
  removeSynthesizedApps,
  resourcesOf,
  type SynthesizedLockstay,
  synthLockstay,
  type TemplateResource,
} from './lockstay-fixture.ts';

afterAll(removeSynthesizedApps);

let lockstay: SynthesizedLockstay;
beforeAll(() => {
  lockstay = synthLockstay();
});

const resources = (type: string) => Object.entries(resourcesOf(lockstay.statelessTemplate, type));
const only = (type: string): [string, TemplateResource] => {
  const found = resources(type);
  expect(found).toHaveLength(1);
  return found[0] as [string, TemplateResource];
};
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  lockstay.stateless.getLogicalId(construct.node.defaultChild as never);

interface Behaviour {
  readonly PathPattern?: string;
  readonly TargetOriginId: string;
  readonly ViewerProtocolPolicy: string;
  readonly AllowedMethods?: string[];
  readonly CachePolicyId: unknown;
  readonly OriginRequestPolicyId?: unknown;
  readonly ResponseHeadersPolicyId?: { Ref: string };
}
interface DistributionConfig {
  readonly DefaultCacheBehavior: Behaviour;
  readonly CacheBehaviors: Behaviour[];
  readonly Origins: {
    Id: string;
    DomainName: unknown;
    OriginAccessControlId?: unknown;
    S3OriginConfig?: { OriginAccessIdentity: string };
    CustomOriginConfig?: { OriginProtocolPolicy: string };
    OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  }[];
  readonly Logging?: unknown;
}
const distribution = () =>
  (only('AWS::CloudFront::Distribution')[1].Properties as { DistributionConfig: DistributionConfig })
    .DistributionConfig;
const behaviour = (pattern: string) => {
  const found = distribution().CacheBehaviors.find((candidate) => candidate.PathPattern === pattern);
  if (!found) throw new Error(`No behaviour for ${pattern}`);
  return found;
};
const headersPolicy = (logicalId: string) =>
  (
    (resourcesOf(lockstay.statelessTemplate)[logicalId] as TemplateResource).Properties as {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
        CustomHeadersConfig?: { Items: { Header: string; Value: string }[] };
      };
    }
  ).ResponseHeadersPolicyConfig;
const distributionId = () => only('AWS::CloudFront::Distribution')[0];
const pagesOriginValue = () => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]],
});

describe('the pages bucket', () => {
  const pagesBucket = () => {
    const id = logicalIdOf(lockstay.stateless.webPages.bucket);
    return { id, resource: resourcesOf(lockstay.statelessTemplate)[id] as TemplateResource };
  };

  it('is private, encrypted and logs its accesses to the log bucket', () => {
    const { resource } = pagesBucket();
    expect(resource.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalIdOf(lockstay.stateless.webPages.logBucket) },
      },
    });
    expect(resource.Properties).not.toHaveProperty('WebsiteConfiguration');
  });

  it('refuses plain HTTP and lets only this distribution read it, through origin access control', () => {
    const { id } = pagesBucket();
    const [, policy] =
      resources('AWS::S3::BucketPolicy').find(
        ([, candidate]) => JSON.stringify(candidate.Properties?.Bucket) === JSON.stringify({ Ref: id }),
      ) ?? [];
    const statements = (
      (policy as TemplateResource).Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } }
    ).PolicyDocument.Statement;

    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    // Besides CloudFront, only the role that empties the bucket when the stack is deleted; nobody at large.
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');
    expect(JSON.stringify(allowed.map((statement) => statement.Principal))).not.toContain('"*"');
    const reads = allowed.filter(
      (statement) => !JSON.stringify(statement.Principal).includes('AutoDeleteObjects'),
    );
    expect(reads.length).toBeGreaterThan(0);
    for (const statement of reads) {
      expect(statement.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
      expect(statement.Action).toBe('s3:GetObject');
      expect(JSON.stringify(statement.Condition)).toContain(distributionId());
    }
    const [, oac] = only('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties).toMatchObject({
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
    const s3Origins = distribution().Origins.filter((origin) => origin.S3OriginConfig);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]?.OriginAccessControlId).toBeDefined();
    expect(s3Origins[0]?.S3OriginConfig?.OriginAccessIdentity).toBe('');
  });
});

describe('the distribution', () => {
  it('answers over HTTPS only, on every path, and logs requests', () => {
    const config = distribution();
    for (const candidate of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(candidate.ViewerProtocolPolicy).toBe('https-only');
    }
    expect(config.Logging).toBeDefined();
  });

  it('serves /stay/ with the headers the local gateway sends the guest page: its CSP and no referrer', () => {
    const policy = headersPolicy(behaviour('/stay/*').ResponseHeadersPolicyId?.Ref ?? '');

    expect(policy.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: guestPageHeaders['content-security-policy'],
      Override: true,
    });
    expect(policy.SecurityHeadersConfig.ReferrerPolicy).toEqual({
      ReferrerPolicy: 'no-referrer',
      Override: true,
    });
    expect(policy.SecurityHeadersConfig.ContentTypeOptions).toEqual({ Override: true });
    expect(policy.CustomHeadersConfig?.Items).toContainEqual({
      Header: 'Cache-Control',
      Value: guestPageHeaders['cache-control'],
      Override: true,
    });
  });

  it('passes /guest/* to the HTTP API uncached, with every method and the page’s Origin', () => {
    const guest = behaviour('/guest/*');
    const origin = distribution().Origins.find((candidate) => candidate.Id === guest.TargetOriginId);

    expect(JSON.stringify(origin?.DomainName)).toContain(logicalIdOf(lockstay.stateless.api.httpApi));
    expect(JSON.stringify(origin?.DomainName)).toContain('execute-api');
    expect(origin?.CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
    expect(guest.AllowedMethods).toEqual(expect.arrayContaining(['POST', 'GET', 'OPTIONS']));
    // The managed CachingDisabled policy; the origin request policy is the stack's own (below).
    expect(guest.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(guest.ResponseHeadersPolicyId).toEqual(behaviour('/stay/*').ResponseHeadersPolicyId);
  });

  it('keeps the console out of frames and its address out of referrers', () => {
    const policy = headersPolicy(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId?.Ref ?? '');
    expect(policy.SecurityHeadersConfig.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(policy.SecurityHeadersConfig.ReferrerPolicy).toEqual({
      ReferrerPolicy: 'no-referrer',
      Override: true,
    });
  });

  it('resolves directory indexes: a guest link’s /stay/ is the guest page, / leads to the console', () => {
    const [, fn] = only('AWS::CloudFront::Function');
    const code = (fn.Properties as { FunctionCode: string }).FunctionCode;
    const handler = new Function(`${code}; return handler;`)() as (event: unknown) => {
      uri?: string;
      statusCode?: number;
      headers?: { location: { value: string } };
    };
    const request = (uri: string) => handler({ request: { uri, headers: {} } });

    expect(request('/stay/').uri).toBe('/stay/index.html');
    expect(request('/console/').uri).toBe('/console/index.html');
    expect(request('/console/assets/index-abc.js').uri).toBe('/console/assets/index-abc.js');
    expect(request('/').headers?.location.value).toBe('/console/');
    expect(request('/stay')).toMatchObject({ statusCode: 301, headers: { location: { value: '/stay/' } } });
  });
});

describe('the deployed pages', () => {
  const deployments = () =>
    resources('Custom::CDKBucketDeployment').map(([, resource]) => resource.Properties);

  it('put the console under console/ with its config.json, and the guest page under stay/', () => {
    const prefixes = deployments().map((properties) => properties?.DestinationBucketKeyPrefix);
    expect(prefixes).toEqual(expect.arrayContaining(['console/', 'stay/']));
    const consoleDeployment = deployments().find(
      (properties) => properties?.DestinationBucketKeyPrefix === 'console/',
    );
    const markers = JSON.stringify(consoleDeployment?.SourceMarkers ?? consoleDeployment);
    // config.json's values are resolved at deployment from the API stage and the user pool.
    expect(markers).toContain(logicalIdOf(lockstay.stateless.api.httpApi));
  });
});

describe('CORS of the HTTP API', () => {
  it('admits the distribution’s origin and no other', () => {
    const [, cors] = only('Custom::AWS');
    const create = JSON.stringify(cors.Properties?.Create);

    expect(create).toContain('UpdateApi');
    expect(create).toContain(JSON.stringify(distributionId()));
    expect(create).not.toContain('"*"');
    const origins = create.match(/AllowOrigins\\":\[(.*?)\]/)?.[1] ?? '';
    expect(origins.split('https://').length - 1).toBe(1);
  });

  it('is not on the API resource itself, which would make a cycle with the distribution', () => {
    const [, api] = only('AWS::ApiGatewayV2::Api');
    expect(api.Properties).not.toHaveProperty('CorsConfiguration');
  });
});

describe('PAGES_ORIGIN', () => {
  const environmentOf = (name: (typeof functionNames)[number]) => {
    const id = lockstay.stateless.getLogicalId(
      lockstay.stateless.handlers.functions[name].node.defaultChild as never,
    );
    return (
      (resourcesOf(lockstay.statelessTemplate)[id] as TemplateResource).Properties as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment.Variables;
  };

  it('is the distribution’s https origin for the guest API and the scheduled tasks (guest links)', () => {
    for (const name of ['guest', 'runScheduledTask'] as const) {
      expect(environmentOf(name)[resourceVariables.pagesOrigin]).toEqual(pagesOriginValue());
    }
  });

  it('is given only to the functions whose catalogue entry needs it', () => {
    for (const name of functionNames) {
      const needs: readonly string[] = functions[name].needs;
      expect(resourceVariables.pagesOrigin in environmentOf(name)).toBe(needs.includes('pages:origin'));
    }
  });
});

describe('the viewer address behind CloudFront (the guest API’s rate limit)', () => {
  const guestOrigin = () => {
    const guest = behaviour('/guest/*');
    const origin = distribution().Origins.find((candidate) => candidate.Id === guest.TargetOriginId);
    if (!origin) throw new Error('No origin for /guest/*');
    return origin;
  };
  const secretReference = () => {
    const [secretId] = only('AWS::SecretsManager::Secret');
    return {
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
    };
  };

  it('is forwarded to the guest API by an origin request policy, with the page’s Origin but not Host', () => {
    const policyId = (behaviour('/guest/*').OriginRequestPolicyId as { Ref?: string }).Ref ?? '';
    const policy = (resourcesOf(lockstay.statelessTemplate)[policyId] as TemplateResource | undefined)
      ?.Properties as {
      OriginRequestPolicyConfig: {
        HeadersConfig: { HeaderBehavior: string; Headers: string[] };
        QueryStringsConfig: { QueryStringBehavior: string };
        CookiesConfig: { CookieBehavior: string };
      };
    };
    const config = policy.OriginRequestPolicyConfig;
    const headers = config.HeadersConfig.Headers.map((name) => name.toLowerCase());

    expect(config.HeadersConfig.HeaderBehavior).toBe('whitelist');
    expect(headers).toEqual(expect.arrayContaining(['cloudfront-viewer-address', 'origin', 'content-type']));
    expect(headers).not.toContain('host');
    expect(config.QueryStringsConfig.QueryStringBehavior).toBe('all');
    expect(config.CookiesConfig.CookieBehavior).toBe('none');
  });

  it('is vouched for by a secret header the distribution adds, its value a reference to a generated secret', () => {
    const [, secret] = only('AWS::SecretsManager::Secret');
    const headers = guestOrigin().OriginCustomHeaders ?? [];

    expect(secret.Properties?.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
    expect(headers).toEqual([{ HeaderName: edgeSecretHeader, HeaderValue: secretReference() }]);
    // Only the guest API's origin gets it; the pages bucket has no use for it.
    for (const origin of distribution().Origins.filter((candidate) => candidate !== guestOrigin())) {
      expect(origin.OriginCustomHeaders ?? []).toEqual([]);
    }
  });

  it('is believed by the guest function, which is given the same secret', () => {
    const id = lockstay.stateless.getLogicalId(
      lockstay.stateless.handlers.functions.guest.node.defaultChild as never,
    );
    const variables = (
      (resourcesOf(lockstay.statelessTemplate)[id] as TemplateResource).Properties as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment.Variables;

    expect(variables[resourceVariables.pagesEdgeSecret]).toEqual(secretReference());
  });
});
