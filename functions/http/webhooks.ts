/**
 * `POST /webhooks/{integrationId}`: the public receiver of booking webhooks: Lockstay's own signed webhook,
 * Hostaway's (Basic credentials) and Guesty's (Svix signatures), told apart by the integration the path
 * names. It answers 202 only once the delivery is durably accepted and its processing scheduled, 200 for a
 * delivery that is not a guest booking (an owner stay, an inquiry), 401 for credentials, a signature or a
 * timestamp that do not verify, 404 for an unknown integration, 400 for a body that is not a valid event.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { integrationServices } from '#functions/commons/integration-services.ts';
import { PayloadTooLargeError } from '#shared/domain/errors.ts';
import { httpHandler, json } from '#shared/http/middleware.ts';
import { maxJsonBodyBytes, parsePathParameters, rawBody } from '#shared/http/request.ts';
import { acceptWebhook, type IntegrationServices } from '#shared/integrations/deliveries.ts';
import { integrationPathSchema } from '#shared/integrations/integration.ts';

export function webhookHandler({ services }: { services: () => IntegrationServices }) {
  return httpHandler<APIGatewayProxyEventV2>(async (event) => {
    const { integrationId } = parsePathParameters(event, integrationPathSchema);
    // Authenticated over the bytes as sent: API Gateway's base64 is undone, nothing else is touched.
    const body = rawBody(event);
    if (body.length > maxJsonBodyBytes) {
      throw new PayloadTooLargeError(
        `The body is ${body.length} bytes; at most ${maxJsonBodyBytes} are accepted.`,
      );
    }
    const accepted = await acceptWebhook({
      services: services(),
      integrationId,
      headers: event.headers ?? {},
      rawBody: body,
    });
    return json(accepted.ignored ? 200 : 202, accepted);
  });
}

export const handler = webhookHandler({ services: integrationServices });
