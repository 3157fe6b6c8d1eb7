/**
 * IotShadowGateway on the AWS IoT data plane (UpdateThingShadow, GetThingShadow of named shadows). Locally the
 * same client talks to the local IoT Core, through `AWS_ENDPOINT_URL_IOT_DATA_PLANE`; in AWS that variable
 * names the account's `iot:Data-ATS` endpoint.
 */
import {
  GetThingShadowCommand,
  type IoTDataPlaneClient,
  ResourceNotFoundException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import type { IotShadowGateway, ShadowDocument } from '#shared/access/ports.ts';

export function createIotShadowGateway({ client }: { client: IoTDataPlaneClient }): IotShadowGateway {
  return {
    async updateShadow({ thingName, shadowName, document }) {
      await client.send(
        new UpdateThingShadowCommand({
          thingName,
          shadowName,
          payload: new TextEncoder().encode(JSON.stringify(document)),
        }),
      );
    },
    async getShadow({ thingName, shadowName }) {
      try {
        const { payload } = await client.send(new GetThingShadowCommand({ thingName, shadowName }));
        if (payload === undefined) return undefined;
        return JSON.parse(new TextDecoder().decode(payload)) as ShadowDocument;
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      }
    },
  };
}
