/**
 * `npm run test:unit`: the specs beside the code, which need no PostgreSQL, Kafka or
 * browser. Specs that do live under test/ and run with `npm test`.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
};
