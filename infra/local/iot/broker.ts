/**
 * The MQTT side of the local IoT Core, on the aedes broker: a mutual-TLS listener for devices and a plain
 * loopback listener for trusted back-end clients ("services", allowed everything, as IAM principals are).
 *
 * A device is who its certificate says: the certificate must come from the local CA, be registered and active,
 * and the thing it is attached to provides the policy variables; then every connect, publish, subscribe and
 * delivery is decided by the lock policy of `infra/iot-policy.ts`, evaluated here exactly as AWS IoT would.
 * On top of any policy, AWS IoT's reserved-topic rules hold for everyone: only the shadow request topics
 * of `$aws/` may be published to, never with RETAIN, and a Last Will aimed at a `$` topic is dropped.
 *
 * Presence: every connection and disconnection is announced on `$aws/events/presence/...` with AWS's fields.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { IotPolicyAction, IotPolicyDocument, IotPolicyScope } from '#infra/iot-policy.ts';
import { listenOn } from '../listen.ts';
import { certificateIdOf, type LocalCertificateAuthority } from './certificate-authority.ts';
import { type IotResourceKind, iotResourceArn, isAllowed, type PolicyVariables } from './policy-evaluator.ts';
import { parseShadowRequestTopic } from './shadow-topics.ts';

export type DisconnectReason =
  | 'CLIENT_INITIATED_DISCONNECT'
  | 'CONNECTION_LOST'
  | 'DUPLICATE_CLIENTID'
  | 'FORBIDDEN_ACCESS'
  | 'MQTT_KEEP_ALIVE_TIMEOUT'
  | 'SERVER_INITIATED_DISCONNECT'
  | 'API_INITIATED_DISCONNECT';

type Principal =
  | { readonly kind: 'service' }
  | {
      readonly kind: 'device';
      readonly certificateId: string;
      readonly thingName: string;
      readonly variables: PolicyVariables;
    };

interface Connection {
  readonly principal: Principal;
  readonly sessionIdentifier: string;
  readonly versionNumber: number;
  disconnectReason?: DisconnectReason;
}

export interface IotBroker {
  readonly mqttPort: number;
  readonly mqttTlsPort: number;
  /** Publishes as the IoT Core itself (no client), e.g. shadow responses and presence events. */
  publish(topic: string, payload: Uint8Array, options?: { qos?: 0 | 1; retain?: boolean }): Promise<void>;
  /** Closes the connections made with a certificate, as AWS does once it is revoked. */
  disconnectCertificate(certificateId: string): void;
  close(): Promise<void>;
}

export interface IotBrokerOptions {
  readonly host: string;
  readonly mqttPort: number;
  readonly mqttTlsPort: number;
  readonly serverCertificate: { readonly certificatePem: string; readonly privateKeyPem: string };
  readonly authority: LocalCertificateAuthority;
  readonly policy: IotPolicyDocument;
  readonly scope: IotPolicyScope;
  /** Every message the broker carries (but `$SYS`), after it was accepted. */
  readonly onMessage: (topic: string, payload: Buffer) => void;
  readonly now: () => number;
  readonly log: (message: string) => void;
}

const notAuthorized = 5;

export async function startIotBroker(options: IotBrokerOptions): Promise<IotBroker> {
  const { authority, policy, scope, log, now } = options;
  const connections = new WeakMap<Client, Connection>();
  const connectionCounts = new Map<string, number>();
  let closing = false;

  const allowed = (principal: Principal, action: IotPolicyAction, kind: IotResourceKind, name: string) =>
    principal.kind === 'service' ||
    isAllowed({
      policy,
      action,
      resource: iotResourceArn(scope, kind, name),
      variables: principal.variables,
    });

  const broker = await Aedes.createBroker({
    preConnect(_client, packet, callback) {
      // AWS IoT ignores a Last Will aimed at a reserved topic.
      if (packet.will?.topic.startsWith('$')) delete packet.will;
      callback(null, true);
    },

    authenticate(client, _username, _password, callback) {
      const refuse = (reason: string) => {
        log(`refused connection of ${client.id}: ${reason}`);
        const error = new Error(reason) as AuthenticateError;
        error.returnCode = notAuthorized as AuthenticateError['returnCode'];
        callback(error, false);
      };
      const principal = principalOf(client, authority);
      if (principal === undefined) return refuse('certificate unknown or not active');
      if (!allowed(principal, 'iot:Connect', 'client', client.id)) {
        return refuse(`policy does not allow connecting as client id ${client.id}`);
      }
      const previous = clientsOf(broker)[client.id];
      const previousConnection = previous === undefined ? undefined : connections.get(previous);
      if (previousConnection !== undefined) previousConnection.disconnectReason = 'DUPLICATE_CLIENTID';
      const versionNumber = connectionCounts.get(client.id) ?? 0;
      connectionCounts.set(client.id, versionNumber + 1);
      connections.set(client, { principal, sessionIdentifier: randomUUID(), versionNumber });
      callback(null, true);
    },

    authorizePublish(client, packet, callback) {
      if (client === null) return callback(null);
      const connection = connections.get(client);
      const refusal = publishRefusal(packet, connection?.principal, allowed);
      if (refusal === undefined) return callback(null);
      log(`refused publish of ${client.id} to ${packet.topic}: ${refusal}`);
      // AWS IoT disconnects an MQTT 3.1.1 client whose publish it does not authorise; so does aedes on an error.
      if (connection !== undefined) connection.disconnectReason = 'FORBIDDEN_ACCESS';
      callback(new Error(refusal));
    },

    authorizeSubscribe(client, subscription, callback) {
      const principal = connections.get(client)?.principal;
      if (principal !== undefined && allowed(principal, 'iot:Subscribe', 'topicfilter', subscription.topic)) {
        return callback(null, subscription);
      }
      log(`refused subscription of ${client.id} to ${subscription.topic}`);
      // A null subscription makes aedes answer SUBACK 0x80, as AWS IoT does for a filter the policy denies.
      callback(null, null);
    },

    authorizeForward(client, packet) {
      const principal = connections.get(client)?.principal;
      return principal !== undefined && allowed(principal, 'iot:Receive', 'topic', packet.topic)
        ? packet
        : null;
    },
  });

  function presence(client: Client, eventType: 'connected' | 'disconnected') {
    const connection = connections.get(client);
    if (connection === undefined || closing) return;
    const principalIdentifier =
      connection.principal.kind === 'device' ? connection.principal.certificateId : 'local-service';
    const base = {
      clientId: client.id,
      timestamp: now(),
      eventType,
      sessionIdentifier: connection.sessionIdentifier,
      principalIdentifier,
    };
    const reason = connection.disconnectReason ?? disconnectReasonOf(client);
    const event =
      eventType === 'connected'
        ? { ...base, ipAddress: addressOf(client), versionNumber: connection.versionNumber }
        : {
            ...base,
            clientInitiatedDisconnect: reason === 'CLIENT_INITIATED_DISCONNECT',
            disconnectReason: reason,
            versionNumber: connection.versionNumber,
          };
    publish(`$aws/events/presence/${eventType}/${client.id}`, Buffer.from(JSON.stringify(event))).catch(
      (error: unknown) => log(`presence event for ${client.id} not published: ${String(error)}`),
    );
  }

  broker.on('client', (client) => presence(client, 'connected'));
  broker.on('clientDisconnect', (client) => presence(client, 'disconnected'));
  broker.on('keepaliveTimeout', (client) => {
    const connection = connections.get(client);
    if (connection !== undefined) connection.disconnectReason ??= 'MQTT_KEEP_ALIVE_TIMEOUT';
  });
  broker.on('publish', (packet, _client) => {
    if (packet.topic.startsWith('$SYS/')) return;
    options.onMessage(
      packet.topic,
      Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
    );
  });

  function publish(
    topic: string,
    payload: Uint8Array,
    { qos = 1, retain = false }: { qos?: 0 | 1; retain?: boolean } = {},
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      if (broker.closed) return resolve();
      const packet = { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false };
      broker.publish(packet as PublishPacket, (error) => (error ? reject(error) : resolve()));
    });
  }

  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    // Shadow traffic is small messages answered at once: Nagle's algorithm would hold each one back.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const plainServer = createNetServer((socket) => {
    track(socket);
    broker.handle(socket);
  });
  const tlsServer = createTlsServer(
    {
      key: options.serverCertificate.privateKeyPem,
      cert: options.serverCertificate.certificatePem,
      ca: [authority.caPem],
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket) => {
      // AWS IoT refuses a revoked certificate during the handshake: close before any MQTT is read.
      if (activeCertificateOf(socket, authority) === undefined) {
        log('refused TLS connection: certificate unknown or not active');
        socket.destroy();
        return;
      }
      broker.handle(socket);
    },
  );
  tlsServer.on('connection', track);
  tlsServer.on('tlsClientError', (error) => log(`TLS handshake refused: ${error.message}`));

  // The plain listener trusts whoever connects, so it only ever listens on the loopback interface.
  const mqttPort = await listenOn({ server: plainServer, port: options.mqttPort, host: '127.0.0.1' });
  const mqttTlsPort = await listenOn({ server: tlsServer, port: options.mqttTlsPort, host: options.host });

  return {
    mqttPort,
    mqttTlsPort,
    publish,
    disconnectCertificate(certificateId) {
      for (const client of Object.values(clientsOf(broker))) {
        const connection = connections.get(client);
        if (connection?.principal.kind === 'device' && connection.principal.certificateId === certificateId) {
          connection.disconnectReason = 'API_INITIATED_DISCONNECT';
          client.close();
        }
      }
    },
    async close() {
      closing = true;
      for (const client of Object.values(clientsOf(broker))) {
        const connection = connections.get(client);
        if (connection !== undefined) connection.disconnectReason = 'SERVER_INITIATED_DISCONNECT';
      }
      const serversClosed = Promise.all([closeServer(plainServer), closeServer(tlsServer)]);
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await serversClosed;
    },
  };
}

/** The registered, active certificate a TLS client presented, with its id. */
function activeCertificateOf(socket: TLSSocket, authority: LocalCertificateAuthority) {
  const peer = socket.getPeerCertificate();
  if (peer?.raw === undefined) return undefined;
  const certificateId = certificateIdOf(peer.raw);
  const record = authority.certificate(certificateId);
  return record?.status === 'ACTIVE' ? { record, commonName: String(peer.subject?.CN ?? '') } : undefined;
}

function principalOf(client: Client, authority: LocalCertificateAuthority): Principal | undefined {
  const socket = client.conn as Partial<TLSSocket>;
  if (socket.encrypted !== true) return { kind: 'service' };
  const certificate = activeCertificateOf(socket as TLSSocket, authority);
  if (certificate === undefined) return undefined;
  const { record, commonName } = certificate;
  const variables: Record<string, string> = {
    'iot:ClientId': client.id,
    'iot:Certificate.Subject.CommonName': commonName,
    'iot:CertificateId': record.certificateId,
  };
  // The thing policy variables exist only when the client id is the name of the thing the certificate is
  // attached to (AWS IoT's rule): any other client id leaves them unresolved, and the policy matches nothing.
  if (client.id === record.thingName) {
    variables['iot:Connection.Thing.ThingName'] = record.thingName;
    variables['iot:Connection.Thing.IsAttached'] = 'true';
  } else {
    variables['iot:Connection.Thing.IsAttached'] = 'false';
  }
  return { kind: 'device', certificateId: record.certificateId, thingName: record.thingName, variables };
}

type Allowed = (
  principal: Principal,
  action: IotPolicyAction,
  kind: IotResourceKind,
  name: string,
) => boolean;

function publishRefusal(packet: PublishPacket, principal: Principal | undefined, allowed: Allowed) {
  if (principal === undefined) return 'not connected';
  if (packet.topic.startsWith('$')) {
    if (parseShadowRequestTopic(packet.topic) === undefined) return 'reserved topic';
    if (packet.retain) return 'RETAIN is not allowed on reserved topics';
  }
  if (!allowed(principal, 'iot:Publish', 'topic', packet.topic)) return 'not allowed by policy';
  return undefined;
}

function disconnectReasonOf(client: Client): DisconnectReason {
  return (client as Client & { _disconnected?: boolean })._disconnected === true
    ? 'CLIENT_INITIATED_DISCONNECT'
    : 'CONNECTION_LOST';
}

function addressOf(client: Client): string {
  const address = (client.conn as Partial<Socket>).remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

function clientsOf(broker: Aedes): Record<string, Client> {
  // aedes keeps its connected clients by id; the field is not in its type declarations.
  return (broker as Aedes & { clients: Record<string, Client> }).clients;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
