import { z } from 'zod';

/**
 * The forms validate with the same zod schemas core uses (shared/rules). Zod probes `new Function` when it
 * builds an object schema, to compile a faster parser; under the app's CSP (no 'unsafe-eval') that probe is
 * refused and reported as a violation, even though zod catches it. Imported first by main.ts, before any
 * module builds a schema.
 */
z.config({ jitless: true });
