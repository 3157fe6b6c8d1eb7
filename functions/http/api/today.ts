/** The host's day at a glance: arrivals and departures with their codes, locks needing care, failing feeds, alerts. */
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { json } from '#shared/http/middleware.ts';
import { parseQuery } from '#shared/http/request.ts';
import { readToday, type TodayPorts, todayQuerySchema } from '#shared/overview/today.ts';

/** What the summary reads besides the domain's repositories. */
export type TodayServices = Pick<TodayPorts, 'conditions' | 'integrations' | 'offlineCodes'>;

export const todayRoutes = ({ services }: { services: () => TodayServices }): HostRoutes => ({
  'GET /today': async ({ event, principal, ports }) => {
    const query = parseQuery(event, todayQuerySchema);
    const summary = await readToday({ ports: { ...ports, ...services() }, principal, query });
    return json(200, summary, { 'cache-control': 'no-store' });
  },
});
