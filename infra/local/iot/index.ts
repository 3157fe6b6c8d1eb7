/**
 * The local IoT Core: the part of the local cloud that stands in for AWS IoT Core, so that production code and
 * real device SDKs work against it unchanged.
 *
 * ```ts
 * const iot = await startIotCore({ dataDir, mqttPort: 1883, mqttTlsPort: 8883, httpPort: 8443, onRuleMatch });
 * iot.endpoints.http      // 'http://127.0.0.1:8443': IoTDataPlaneClient({ endpoint }) works against it
 * iot.endpoints.mqtt      // 'mqtt://127.0.0.1:1883': plain MQTT, loopback only; its clients are trusted services
 * iot.endpoints.mqtts     // 'mqtts://127.0.0.1:8883': mutual TLS; devices present a certificate from the local CA
 * iot.endpoints.caPem / caPath   // the CA devices and clients trust (it signs the broker's certificate too)
 * await iot.issueDeviceCertificate({ thingName: 'lock-1' })  // { certificateId, certificatePem, privateKeyPem, caPem }
 * await iot.revokeCertificate(certificateId)                // refuses it from now on and closes its connections
 * POST {http}/lockstay-local/things/{thingName}/certificates  // the same over HTTP, for the platform's local
 * DELETE {http}/lockstay-local/things/{thingName}/certificates //   certificate issuer (data-plane-http.ts)
 * await iot.stop()                                          // closes every listener and connection, flushes files
 * ```
 *
 * - Device shadows, classic and named, over MQTT and over the Data Plane HTTP API (see `shadow-document.ts` for
 *   the semantics, `shadow-service.ts` for the topics), persisted under `{dataDir}/shadows`.
 * - Identity: a TLS client is the thing its certificate is attached to; the lock policy of `infra/iot-policy.ts`
 *   decides what it may do (`broker.ts`). Certificates and the CA live under `{dataDir}/ca`.
 * - Presence events on `$aws/events/presence/connected|disconnected/{clientId}`.
 * - Topic rules of `infra/iot-rules.ts`: every matching message is handed to `onRuleMatch` with the document
 *   the rule selects, as the rule's Lambda action would receive it. A failing callback is logged, not retried.
 *
 * Ports may be 0 (tests): the real ones are in `endpoints` and `ports`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type IotPolicyScope, lockPolicyDocument } from '#infra/iot-policy.ts';
import { type IotTopicRuleDefinition, iotTopicRules } from '#infra/iot-rules.ts';
import { closeHttpServer, listenOn } from '../listen.ts';
import { createAtomicFileWriter } from './atomic-file.ts';
import { startIotBroker } from './broker.ts';
import { type IssuedDeviceCertificate, openCertificateAuthority } from './certificate-authority.ts';
import { createDataPlaneServer } from './data-plane-http.ts';
import { localIotScope } from './policy-evaluator.ts';
import { defaultShadowLimits, type JsonObject, type ShadowLimits } from './shadow-document.ts';
import { createShadowService, type ShadowService } from './shadow-service.ts';
import { openShadowStore } from './shadow-store.ts';
import { compileTopicRule } from './topic-rules.ts';

export type { IssuedDeviceCertificate } from './certificate-authority.ts';
export { localIotScope } from './policy-evaluator.ts';
export type { JsonObject, ShadowLimits } from './shadow-document.ts';

/** One message that matched a topic rule: what the rule's target function is invoked with. */
export interface IotRuleMatch {
  /** The rule's key in `iotTopicRules`. */
  readonly rule: string;
  readonly definition: IotTopicRuleDefinition;
  readonly topic: string;
  /** The document the rule's SELECT produces (the Lambda event in AWS). */
  readonly payload: JsonObject;
}

export interface IotCoreOptions {
  /** A folder the IoT Core owns: the CA, the certificate registry and the shadows live here. */
  readonly dataDir: string;
  /** Interface of the mutual-TLS listener; the plain MQTT and HTTP listeners are always on 127.0.0.1. */
  readonly host?: string;
  readonly mqttPort: number;
  readonly mqttTlsPort: number;
  readonly httpPort: number;
  /** Extra names the broker's certificate is valid for, beyond localhost, 127.0.0.1, ::1 and `host`. */
  readonly serverNames?: readonly string[];
  readonly onRuleMatch?: (match: IotRuleMatch) => Promise<void>;
  readonly log?: (message: string) => void;
  /** The clock, in epoch milliseconds (shadow timestamps are its seconds). */
  readonly now?: () => number;
  readonly limits?: Partial<ShadowLimits>;
  /** Account and region in the ARNs the policy is evaluated against. */
  readonly scope?: IotPolicyScope;
}

export interface IotCore {
  readonly endpoints: {
    readonly mqtt: string;
    readonly mqtts: string;
    readonly http: string;
    readonly caPem: string;
    readonly caPath: string;
  };
  readonly ports: { readonly mqtt: number; readonly mqtts: number; readonly http: number };
  issueDeviceCertificate(options: { thingName: string }): Promise<IssuedDeviceCertificate>;
  /** False when no such certificate exists. */
  revokeCertificate(certificateId: string): Promise<boolean>;
  /** Settles once every shadow request received so far is answered and every rule invocation has finished. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startIotCore({
  dataDir,
  host = '127.0.0.1',
  mqttPort,
  mqttTlsPort,
  httpPort,
  serverNames = [],
  onRuleMatch,
  log = (message) => console.error(`[iot] ${message}`),
  now = Date.now,
  limits,
  scope = localIotScope,
}: IotCoreOptions): Promise<IotCore> {
  await mkdir(dataDir, { recursive: true });
  const writer = createAtomicFileWriter();
  const authority = await openCertificateAuthority({ dir: join(dataDir, 'ca'), writer });
  const store = await openShadowStore({ dir: join(dataDir, 'shadows'), writer });
  const rules = Object.entries(iotTopicRules).map(([name, definition]) => compileTopicRule(name, definition));
  const ruleInvocations = new Set<Promise<void>>();

  const hosts = [...new Set(['localhost', '127.0.0.1', '::1', ...serverNames, host])].filter(
    (name) => name !== '0.0.0.0' && name !== '::',
  );
  const serverCertificate = await authority.issueServerCertificate(hosts);

  let shadows: ShadowService | undefined;
  const broker = await startIotBroker({
    host,
    mqttPort,
    mqttTlsPort,
    serverCertificate,
    authority,
    policy: lockPolicyDocument(scope),
    scope,
    now,
    log,
    onMessage(topic, payload) {
      shadows
        ?.handleMessage(topic, payload)
        .catch((error: unknown) => log(`shadow request failed: ${error}`));
      if (onRuleMatch !== undefined) dispatchRules(topic, payload);
    },
  });

  function dispatchRules(topic: string, payload: Uint8Array) {
    for (const rule of rules) {
      if (!rule.matches(topic)) continue;
      const selected = rule.select(topic, payload);
      if (selected === undefined) {
        log(`rule ${rule.name}: message on ${topic} is not a JSON object, skipped`);
        continue;
      }
      const invocation = Promise.resolve()
        .then(() => onRuleMatch?.({ rule: rule.name, definition: rule.definition, topic, payload: selected }))
        .catch((error: unknown) => log(`rule ${rule.name} target failed on ${topic}: ${error}`));
      ruleInvocations.add(invocation);
      invocation.finally(() => ruleInvocations.delete(invocation));
    }
  }

  const publishDocument = (topic: string, document: JsonObject) =>
    broker.publish(topic, Buffer.from(JSON.stringify(document)), { qos: 1 });
  shadows = createShadowService({
    store,
    publish: publishDocument,
    limits: { ...defaultShadowLimits, ...limits },
    now,
    log,
  });

  const revokeCertificate = async (certificateId: string) => {
    const revoked = await authority.revokeCertificate(certificateId);
    if (revoked) broker.disconnectCertificate(certificateId);
    return revoked;
  };
  const mqtts = () => `mqtts://${urlHost(host)}:${broker.mqttTlsPort}`;
  const http = createDataPlaneServer({
    shadows,
    publish: broker.publish,
    log,
    provisioning: {
      issue: (thingName) => authority.issueDeviceCertificate({ thingName }),
      async revokeAll(thingName) {
        for (const record of authority.certificatesOf(thingName)) {
          if (record.status === 'ACTIVE') await revokeCertificate(record.certificateId);
        }
      },
      activeCertificates: (thingName) =>
        authority
          .certificatesOf(thingName)
          .filter((record) => record.status === 'ACTIVE')
          .map((record) => record.certificateId),
      async revoke(thingName, certificateId) {
        const record = authority
          .certificatesOf(thingName)
          .find((held) => held.certificateId === certificateId);
        if (record === undefined) return false;
        if (record.status === 'ACTIVE') await revokeCertificate(certificateId);
        return true;
      },
      connection: () => ({ endpoint: mqtts(), caCertificatePem: authority.caPem }),
    },
  });
  const actualHttpPort = await listenOn({ server: http, port: httpPort, host: '127.0.0.1' });

  async function idle() {
    await shadows?.idle();
    await Promise.allSettled([...ruleInvocations]);
  }

  return {
    endpoints: {
      mqtt: `mqtt://127.0.0.1:${broker.mqttPort}`,
      mqtts: mqtts(),
      http: `http://127.0.0.1:${actualHttpPort}`,
      caPem: authority.caPem,
      caPath: authority.caPath,
    },
    ports: { mqtt: broker.mqttPort, mqtts: broker.mqttTlsPort, http: actualHttpPort },
    issueDeviceCertificate: (options) => authority.issueDeviceCertificate(options),
    revokeCertificate,
    idle,
    async stop() {
      await closeHttpServer(http);
      await broker.close();
      await idle();
      await writer.flush();
    },
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
