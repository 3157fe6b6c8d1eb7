/**
 * `POST /webhooks/{integrationId}`: the public receiver of Lockstay's signed booking webhook. It answers 202
 * only once the delivery is durably accepted and its processing scheduled; 401 for a signature or timestamp
 * that does not verify, 404 for an unknown integration, 400 for a body that is not a valid event.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { integrationServices } from '#functions/commons/integration-services.ts';
import { PayloadTooLargeError } from '#shared/domain/errors.ts';
import { httpHandler, json } from '#shared/http/middleware.ts';
import { maxJsonBodyBytes, parsePathParameters, rawBody } from '#shared/http/request.ts';
import { acceptGenericWebhook } from '#shared/integrations/deliveries.ts';
import { integrationPathSchema } from '#shared/integrations/integration.ts';

export function webhookHandler({ services }: { services: typeof integrationServices }) {
  return httpHandler<APIGatewayProxyEventV2>(async (event) => {
    const { integrationId } = parsePathParameters(event, integrationPathSchema);
    // Signed over the bytes as sent: API Gateway's base64 is undone, nothing else is touched.
    const body = rawBody(event);
    if (body.length > maxJsonBodyBytes) {
      throw new PayloadTooLargeError(
        `The body is ${body.length} bytes; at most ${maxJsonBodyBytes} are accepted.`,
      );
    }
    const accepted = await acceptGenericWebhook({
      services: services(),
      integrationId,
      headers: event.headers ?? {},
      rawBody: body,
    });
    return json(202, accepted);
  });
}

export const handler = webhookHandler({ services: integrationServices });
