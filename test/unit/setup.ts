// Unit tests never reach a network: SDK clients are mocked with aws-sdk-client-mock, whose matchers come from here.
import 'aws-sdk-client-mock-vitest/extend';

// Handlers log unexpected errors on purpose in some tests; keep the test output readable.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_DEV ??= 'false';
