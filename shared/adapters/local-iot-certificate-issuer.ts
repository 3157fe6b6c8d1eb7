/**
 * CertificateIssuer on the local IoT Core's CA, through the small provisioning twin its HTTP listener serves
 * (infra/local/iot/data-plane-http.ts). The local cloud names it with LOCKSTAY_LOCAL_IOT_PROVISIONING_URL; AWS
 * never sets that variable, so this adapter is only ever chosen at home. A thing there is just the name its
 * certificates carry, so registering it has nothing to do.
 */
import type { CertificateIssuer, IssuedCertificate } from './iot-device-provisioner.ts';

export function createLocalIotCertificateIssuer({
  baseUrl,
  fetch: send = fetch,
}: {
  /** `http://127.0.0.1:{port}/lockstay-local` */
  baseUrl: string;
  fetch?: typeof fetch;
}): CertificateIssuer {
  async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string): Promise<T> {
    const response = await send(`${baseUrl}${path}`, { method });
    if (!response.ok) throw new Error(`Local IoT provisioning ${method} ${path} answered ${response.status}`);
    return (await response.json()) as T;
  }
  const certificatesPath = (thingName: string) => `/things/${encodeURIComponent(thingName)}/certificates`;

  return {
    async register() {},
    async issue({ thingName }) {
      const { certificateId, certificatePem, privateKeyPem } = await call<IssuedCertificate>(
        'POST',
        certificatesPath(thingName),
      );
      return { certificateId, certificatePem, privateKeyPem };
    },
    async deregister({ thingName }) {
      await call('DELETE', certificatesPath(thingName));
    },
    async certificatesOf({ thingName }) {
      const { certificateIds } = await call<{ certificateIds: string[] }>('GET', certificatesPath(thingName));
      return certificateIds;
    },
    async revoke({ thingName, certificateId }) {
      await call('DELETE', `${certificatesPath(thingName)}/${encodeURIComponent(certificateId)}`);
    },
    connection: () => call<{ endpoint: string; caCertificatePem: string }>('GET', '/connection'),
  };
}
