import { config } from 'zod';

// Imported first by bridge-client.ts, before any schema is built: zod's JIT probes `new Function` when the
// first object schema is created, and under CSP `script-src 'self'` that probe is reported as a violation
// even though zod catches the error.
config({ jitless: true });
