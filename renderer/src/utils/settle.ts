import { fail } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';

/** A transport should answer with a Result; one that throws instead is, for the user, unreachable. */
export async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}
