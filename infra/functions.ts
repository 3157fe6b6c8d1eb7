/**
 * Every Lambda function of the platform, described once: the CDK stack creates one function per entry and the
 * local cloud invokes the very same handler modules. `needs` says which resources a function may reach; the
 * stack turns each need into an environment variable and a `grant*` call, the local cloud into the same
 * environment variable.
 */

export type FunctionNeed =
  | 'table:read'
  | 'table:readWrite'
  | 'userPool:read'
  | 'userPool:admin'
  | 'mail:send'
  | 'scheduler:manage'
  /** Create and retire lock identities in AWS IoT, and seal their device keys with KMS. */
  | 'devices:provision'
  /** Read and write locks' named shadows (IoT data plane) and open their device keys (KMS Decrypt). */
  | 'iot:shadows'
  /** Seal and open secrets kept in the table (booking webhook secrets) with the table's key (KMS). */
  | 'secrets:seal'
  /** The pages' public origin (PAGES_ORIGIN): guest links point there and the guest API admits it. */
  | 'pages:origin'
  /**
   * The secret header value the pages' distribution adds to the requests it passes on (PAGES_EDGE_SECRET), so
   * the guest API believes the viewer address CloudFront reports for its rate limit.
   */
  | 'pages:edge';

export interface FunctionDefinition {
  /** Handler module, relative to the project root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly needs: readonly FunctionNeed[];
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMb?: number;
}

export const functions = {
  health: {
    entry: 'functions/http/health.ts',
    description: 'Reports whether each service the platform depends on answers',
    needs: ['table:read', 'userPool:read', 'mail:send', 'scheduler:manage', 'iot:shadows'],
  },
  openApi: {
    entry: 'functions/http/open-api.ts',
    description: 'Serves the OpenAPI document generated from the route table',
    needs: [],
  },
  whoAmI: {
    entry: 'functions/http/who-am-i.ts',
    description: 'The signed-in host, their tenant and their role, from the verified token',
    needs: [],
  },
  properties: {
    entry: 'functions/http/properties.ts',
    description: 'Host API: properties (list, create, read, change)',
    needs: ['table:readWrite'],
  },
  locks: {
    entry: 'functions/http/locks.ts',
    description:
      'Host API: locks (register with their IoT identity, list with their condition, read, rotate credentials one by one or as a fleet)',
    needs: ['table:readWrite', 'devices:provision'],
    timeoutSeconds: 20,
  },
  bookings: {
    entry: 'functions/http/bookings.ts',
    description: 'Host API: bookings entered by hand, with their grants and codes; guest emails sent again',
    // mail:send and pages:origin: a host may send a guest's email (with a new link) again at once.
    needs: ['table:readWrite', 'scheduler:manage', 'mail:send', 'pages:origin'],
  },
  grants: {
    entry: 'functions/http/grants.ts',
    description: 'Host API: grants (read with codes, issue ad-hoc, revoke)',
    needs: ['table:readWrite', 'scheduler:manage', 'mail:send'],
  },
  team: {
    entry: 'functions/http/team.ts',
    description: 'Host API: the team (invite, change role and properties, remove)',
    needs: ['table:readWrite', 'userPool:admin'],
  },
  audit: {
    entry: 'functions/http/audit.ts',
    description: 'Host API: the audit log per tenant, property or lock',
    needs: ['table:read'],
  },
  today: {
    entry: 'functions/http/today.ts',
    description:
      'Host API: the day at a glance (arrivals and departures with their codes, locks needing care, feeds, alerts)',
    needs: ['table:read'],
  },
  commands: {
    entry: 'functions/http/commands.ts',
    description: 'Host API: remote unlock (ask a lock to open, read how the command went)',
    needs: ['table:readWrite', 'iot:shadows', 'scheduler:manage'],
    timeoutSeconds: 20,
  },
  runScheduledTask: {
    entry: 'functions/scheduled/run-scheduled-task.ts',
    description: 'Runs one delayed task (code push, guest email, expiry...) when its schedule fires',
    needs: ['table:readWrite', 'scheduler:manage', 'iot:shadows', 'mail:send', 'pages:origin'],
    timeoutSeconds: 60,
  },
  settings: {
    entry: 'functions/http/settings.ts',
    description: "Host API: the business's lock settings (minimum firmware, offline alert horizon)",
    needs: ['table:readWrite', 'mail:send'],
  },
  handleDeviceEvent: {
    entry: 'functions/devices/handle-device-event.ts',
    description:
      'What locks report through the IoT rules: code outcomes, state (and retiring rotated credentials), presence, lock events',
    needs: ['table:readWrite', 'iot:shadows', 'mail:send', 'devices:provision'],
    timeoutSeconds: 30,
  },
  // Booking integrations (issue 6): managing them, and the public webhook receiver.
  integrations: {
    entry: 'functions/http/integrations.ts',
    description:
      'Host API: booking integrations (create with a secret shown once, list, read, remove, rotate)',
    // mail:send: an on-demand sync that finds the feed broken alerts the owners.
    needs: ['table:readWrite', 'scheduler:manage', 'secrets:seal', 'mail:send'],
  },
  webhooks: {
    entry: 'functions/http/webhooks.ts',
    description:
      'Public: receives signed booking webhooks, accepts them durably and schedules their processing',
    needs: ['table:readWrite', 'scheduler:manage', 'secrets:seal'],
  },
  guest: {
    entry: 'functions/http/guest.ts',
    description: 'Guest API: the stay behind a guest link and its remote unlock (public, rate limited)',
    // readWrite for the lookup counters and the guest's unlock commands; the shadows and the scheduler for
    // remote unlock (the signed command, its expiry).
    needs: ['table:readWrite', 'iot:shadows', 'scheduler:manage', 'pages:origin', 'pages:edge'],
    timeoutSeconds: 20,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;

export const functionNames = Object.keys(functions) as FunctionName[];
