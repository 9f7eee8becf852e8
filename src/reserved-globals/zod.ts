// Imported before anything that loads zod: its registries become non-enumerable globals (index.ts).
import { reserveGlobals, ZOD_GLOBALS } from './index.js';

reserveGlobals(ZOD_GLOBALS);
