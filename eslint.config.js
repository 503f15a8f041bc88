// ESLint (flat config): typescript-eslint's type-checked rules for the TypeScript, the
// plain recommended rules for the few JavaScript files; formatting is Prettier's alone.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.runtime/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Kafka's eachMessage, Nest's guards and hooks take promise-returning callbacks; an
      // async one that happens not to await is how such a callback is written here.
      '@typescript-eslint/require-await': 'off',
      // `const { secret: _secret, ...shown } = row` is how a field is left out.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read JSON bodies and Kafka messages, which are `any` by nature, and then assert
    // on them: the assertions are the type check there. Everything else stays strict.
    files: ['test/**/*.ts', '**/*.spec.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The Kafka client library is an implementation detail of libs/kafka: everything else
    // goes through its port (libs/kafka/src/port.ts), so the client can be swapped there.
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    ignores: ['libs/kafka/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['kafkajs', 'kafkajs/*', '@platformatic/kafka', '@platformatic/kafka/*'],
              message: 'Only libs/kafka talks to a Kafka client library; use the port that @pt/kafka exports (KafkaClient and friends).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['apps/intake/src/console/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  prettier,
);
