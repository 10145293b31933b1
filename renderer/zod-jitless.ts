// Zod 4 compiles fast object parsers with `new Function`, probing first whether eval is allowed.
// Under the kiosk's CSP (no 'unsafe-eval') the probe is refused, and even caught it reports a
// CSP violation. Jitless parsing is the same validation without the compiler. Imported first by
// main.ts, before any schema parses.

import { config } from 'zod';

config({ jitless: true });
