/**
 * Test controls: `POST /__test/<name>` with header `x-test-token`, only when the host runs with
 * `--test-controls` (the app never has them). Features register their own controls here — advance the
 * virtual clock, make a simulated customer act, inject Graph faults — each with a zod schema for its body.
 */
import type { z } from 'zod';
import type { Core } from '../../electron/core/create-core';
import type { AdjustableWallClock } from '../../electron/core/clock';
import type { NodePorts } from '../../electron/core/node-ports';

export interface TestControlContext {
  core: Core;
  ports: NodePorts;
  /** The host itself, for faults that live in the transport. */
  host: { dropBridgeConnections(): number; clock: AdjustableWallClock | null };
}

export interface TestControl<S extends z.ZodType = z.ZodType> {
  schema: S;
  handle(input: z.output<S>, context: TestControlContext): unknown;
}

export type TestControlErrorCode =
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'invalid_request'
  | 'internal';

/** A control's expected failure: answered as `{ ok: false, error: { code, message } }` with `status`. */
export class TestControlError extends Error {
  constructor(
    readonly code: TestControlErrorCode,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'TestControlError';
  }
}

const namePattern = /^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/;
const registry = new Map<string, TestControl>();

/** Registers a control for every host in this process; a name is taken once. */
export function registerTestControl<S extends z.ZodType>(
  name: string,
  schema: S,
  handle: (input: z.output<S>, context: TestControlContext) => unknown,
): void {
  if (!namePattern.test(name)) throw new Error(`Bad test control name: ${name}`);
  if (registry.has(name)) throw new Error(`The test control ${name} is already registered`);
  registry.set(name, { schema, handle } as TestControl);
}

export function findTestControl(name: string): TestControl | undefined {
  return registry.get(name);
}

export function testControlNames(): string[] {
  return [...registry.keys()].sort();
}
