/**
 * The webhook deliveries a test sent, as the receiver recorded them in the table (the API lists only the failed
 * ones), and the wait until the scheduler twin has run one to its end.
 */
import { expect } from 'vitest';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { createIntegrationStore } from '#shared/adapters/dynamo/integrations.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { localDocumentClient } from '../storage/dynamo-world.ts';

/** Waits until the delivery is processed, or failed for good, in the demo tenant. */
export function deliverySettling(
  endpoints: Endpoints,
): (integrationId: string, deliveryId: string) => Promise<void> {
  const deliveries = createIntegrationStore({
    table: createDynamoTable({ client: localDocumentClient(endpoints), tableName: endpoints.tableName }),
  });
  const tenantId = endpoints.demo?.tenantId ?? '';
  return async (integrationId, deliveryId) => {
    await expect
      .poll(async () => (await deliveries.getDelivery({ tenantId, integrationId, deliveryId }))?.status, {
        timeout: 30_000,
        interval: 250,
      })
      .toMatch(/^(processed|failed|dead-lettered)$/);
  };
}
