/**
 * The local twin of registering a thing and its certificate in AWS IoT: a certificate authority kept in the data
 * folder issues each lock an X.509 client certificate (subject CN = thing name) and the broker's server
 * certificate; a registry records which thing each certificate is attached to and whether it is still active.
 * Certificate ids are, as in AWS IoT, the SHA-256 fingerprint of the certificate in lowercase hex.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { AtomicFileWriter } from './atomic-file.ts';

const { subtle } = globalThis.crypto;
x509.cryptoProvider.set(globalThis.crypto);

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const dayMs = 24 * 60 * 60 * 1000;

export type CertificateStatus = 'ACTIVE' | 'REVOKED';

export interface CertificateRecord {
  readonly certificateId: string;
  readonly thingName: string;
  readonly status: CertificateStatus;
  readonly createdAt: string;
  readonly certificatePem: string;
}

export interface IssuedDeviceCertificate {
  readonly certificateId: string;
  readonly certificatePem: string;
  /** Never stored by the IoT Core: whoever asked for the certificate keeps it, as with AWS IoT. */
  readonly privateKeyPem: string;
  readonly caPem: string;
}

export interface LocalCertificateAuthority {
  readonly caPem: string;
  readonly caPath: string;
  /** A server certificate for the broker's TLS listener, valid for the given host names and addresses. */
  issueServerCertificate(
    hosts: readonly string[],
  ): Promise<{ certificatePem: string; privateKeyPem: string }>;
  issueDeviceCertificate(options: { thingName: string }): Promise<IssuedDeviceCertificate>;
  /** Marks a certificate revoked; false when there is no such certificate. */
  revokeCertificate(certificateId: string): Promise<boolean>;
  certificate(certificateId: string): CertificateRecord | undefined;
  /** Every certificate issued to the thing, in any status. */
  certificatesOf(thingName: string): CertificateRecord[];
}

export function certificateIdOf(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

export async function openCertificateAuthority({
  dir,
  writer,
}: {
  dir: string;
  writer: AtomicFileWriter;
}): Promise<LocalCertificateAuthority> {
  const caPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca-key.pem');
  const registryPath = join(dir, 'certificates.json');

  const { caCertificate, caKey } = await loadOrCreateCa({ caPath, caKeyPath, writer });
  const caPem = caCertificate.toString('pem');
  const registry = new Map<string, CertificateRecord>(
    (await readJson<CertificateRecord[]>(registryPath, [])).map((record) => [record.certificateId, record]),
  );
  const saveRegistry = () =>
    writer.write(registryPath, `${JSON.stringify([...registry.values()], null, 2)}\n`);

  async function issue({
    subject,
    extensions,
    validityDays,
  }: {
    subject: string;
    extensions: x509.Extension[];
    validityDays: number;
  }) {
    const keys = await subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
    const certificate = await x509.X509CertificateGenerator.create({
      subject,
      issuer: caCertificate.subject,
      notBefore: new Date(Date.now() - dayMs),
      notAfter: new Date(Date.now() + validityDays * dayMs),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.AuthorityKeyIdentifierExtension.create(caCertificate.publicKey),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ...extensions,
      ],
    });
    const privateKey = await subtle.exportKey('pkcs8', keys.privateKey);
    return {
      certificate,
      certificatePem: certificate.toString('pem'),
      privateKeyPem: x509.PemConverter.encode(privateKey, 'PRIVATE KEY'),
    };
  }

  return {
    caPem,
    caPath,
    async issueServerCertificate(hosts) {
      const names = hosts.map((host) =>
        isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host },
      );
      const { certificatePem, privateKeyPem } = await issue({
        subject: 'CN=Lockstay local IoT Core',
        validityDays: 30,
        extensions: [
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension(names as x509.JsonGeneralNames),
        ],
      });
      return { certificatePem, privateKeyPem };
    },
    async issueDeviceCertificate({ thingName }) {
      const { certificate, certificatePem, privateKeyPem } = await issue({
        subject: `CN=${thingName}`,
        validityDays: 3650,
        extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
      });
      const certificateId = certificateIdOf(new Uint8Array(certificate.rawData));
      registry.set(certificateId, {
        certificateId,
        thingName,
        status: 'ACTIVE',
        createdAt: new Date().toISOString(),
        certificatePem,
      });
      await saveRegistry();
      return { certificateId, certificatePem, privateKeyPem, caPem };
    },
    async revokeCertificate(certificateId) {
      const record = registry.get(certificateId);
      if (record === undefined) return false;
      registry.set(certificateId, { ...record, status: 'REVOKED' });
      await saveRegistry();
      return true;
    },
    certificate: (certificateId) => registry.get(certificateId),
    certificatesOf: (thingName) => [...registry.values()].filter((record) => record.thingName === thingName),
  };
}

async function loadOrCreateCa({
  caPath,
  caKeyPath,
  writer,
}: {
  caPath: string;
  caKeyPath: string;
  writer: AtomicFileWriter;
}): Promise<{ caCertificate: x509.X509Certificate; caKey: CryptoKey }> {
  const existingPem = await readFile(caPath, 'utf8').catch(() => undefined);
  const existingKeyPem = await readFile(caKeyPath, 'utf8').catch(() => undefined);
  if (existingPem !== undefined && existingKeyPem !== undefined) {
    const caKey = await subtle.importKey(
      'pkcs8',
      x509.PemConverter.decodeFirst(existingKeyPem),
      keyAlgorithm,
      false,
      ['sign'],
    );
    return { caCertificate: new x509.X509Certificate(existingPem), caKey };
  }
  const keys = await subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
  const caCertificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Lockstay local IoT CA',
    notBefore: new Date(Date.now() - dayMs),
    notAfter: new Date(Date.now() + 3650 * dayMs),
    keys,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const privateKey = await subtle.exportKey('pkcs8', keys.privateKey);
  // The key first: a certificate without its key would be unusable on the next start.
  await writer.write(caKeyPath, x509.PemConverter.encode(privateKey, 'PRIVATE KEY'));
  await writer.write(caPath, caCertificate.toString('pem'));
  return { caCertificate, caKey: keys.privateKey };
}

async function readJson<T>(path: string, fallback: T): Promise<T> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  return text === undefined ? fallback : (JSON.parse(text) as T);
}
