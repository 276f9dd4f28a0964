/**
 * Meta's real payloads, read where they live (`../shared/cloud-api/fixtures` beside the repository) and
 * never copied in. Without that folder the suites that need them say so and pass with one test stating it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// FRONTDESK_FIXTURES_DIR only exists to check the suites' behaviour when the folder is missing.
export const fixturesDir = process.env.FRONTDESK_FIXTURES_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/cloud-api/fixtures');
export const fixturesPresent = existsSync(fixturesDir);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are arbitrary JSON; schemas check them
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as T;
}

export function fixtureNames(prefix: string): string[] {
  return readdirSync(fixturesDir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .sort();
}

/** A describe that runs with the fixtures, or states plainly that they are absent. */
export function describeWithFixtures(name: string, body: () => void): void {
  if (fixturesPresent) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    console.warn(`${name}: Meta's fixtures are absent (looked in ${fixturesDir}); checks against them did not run.`);
    it(`Meta's fixtures are absent at ${fixturesDir}, so nothing here is checked against them`, () => {
      expect(fixturesPresent).toBe(false);
    });
  });
}
