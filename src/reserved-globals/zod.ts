// Imported before anything that loads zod: its registries become non-enumerable globals (../reserved-globals.ts).
import { reserveGlobals, ZOD_GLOBALS } from '../reserved-globals.js';

reserveGlobals(ZOD_GLOBALS);
