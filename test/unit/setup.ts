// Unit tests never reach a network: SDK clients are mocked with aws-sdk-client-mock, whose matchers come from here.
import 'aws-sdk-client-mock-vitest/extend';
