/** Validates SARIF against the OASIS 2.1.0 schema in ../shared/schemas (copied to test/schemas). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const HERE = dirname(fileURLToPath(import.meta.url));
let validate: ValidateFunction | undefined;

/** The schema validator (compiled once). */
export function sarifValidator(): ValidateFunction {
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(HERE, '..', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS; its default export arrives wrapped under ESM.
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate;
}

/** Schema errors of a SARIF log, as readable strings (empty when valid). */
export function sarifErrors(log: unknown): string[] {
  const v = sarifValidator();
  if (v(log)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
