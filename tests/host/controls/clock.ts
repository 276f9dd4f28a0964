import { z } from 'zod';
import { registerTestControl, TestControlError } from '../test-controls';

/**
 * Moves core's clock (and so the sandbox's) forward: a 24-hour window closes, a status that never came turns
 * "not confirmed". Timers that fall due run at once, in order; time then goes on running from there.
 */
registerTestControl('clock/advance', z.object({ ms: z.number().int().min(0).max(366 * 24 * 3_600_000) }).strict(), ({ ms }, { host }) => {
  if (!host.clock) throw new TestControlError('invalid_request', 'This host runs on the plain wall clock', 409);
  host.clock.advance(ms);
  return { now: host.clock.now(), offset: host.clock.offset };
});
