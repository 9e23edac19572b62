// @ts-check
/**
 * ESLint flat config.
 *
 * Every TypeScript file (src/, tests/, examples/, scripts/, bench/) gets typescript-eslint's
 * type-aware `recommendedTypeChecked` set, with type information from tsconfig.test.json (and
 * any folder's own tsconfig.json, e.g. bench/). In src/ every rule is an error, and the ones
 * this codebase leans on are spelled out: no floating or misused promises, no `any`, no
 * unsafe use of an `any` value. Tests and tooling scripts are allowed the loose typing that
 * assertions on parsed JSON need.
 */
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Build output and generated files (docs/api is typedoc's; bench-results holds benchmark builds), and the outside
  // author's project of the package test: it imports the built package by name, so its types exist only after a
  // build, and that test type-checks it strictly against the packed package.
  {
    ignores: ["dist/", "docs/api/", "node_modules/", "tmp/", ".bench/", "bench-results/", "coverage/", "**/.build/", "tests/package/consumer/"],
  },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: ["./tsconfig.test.json", "./*/tsconfig.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unsafe-argument": "error",
      "@typescript-eslint/no-unsafe-assignment": "error",
      "@typescript-eslint/no-unsafe-call": "error",
      "@typescript-eslint/no-unsafe-member-access": "error",
      "@typescript-eslint/no-unsafe-return": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests and tooling read JSON they just wrote (CLI output, summaries) and fake clocks and
    // servers; typing every assertion adds nothing. Promise rules stay errors.
    files: ["tests/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"],
    rules: {
      // node:test's test(), describe() and hooks return promises that the runner awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["test", "it", "describe", "suite", "before", "after", "beforeEach", "afterEach"] },
          ],
        },
      ],
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/restrict-template-expressions": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
      // `as ScannedAsset[]` on generated data says what a test means, even where the type already fits.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
    },
  },
  {
    files: ["*.js", "scripts/**/*.mjs", "bench/**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", setImmediate: "readonly", URL: "readonly", URLSearchParams: "readonly" },
    },
  },
);
