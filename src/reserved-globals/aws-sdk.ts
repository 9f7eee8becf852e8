// Imported before the AWS SDK: its `awslambda` invoke store becomes a non-enumerable global (../reserved-globals.ts).
import { AWS_SDK_GLOBALS, reserveGlobals } from '../reserved-globals.js';

reserveGlobals(AWS_SDK_GLOBALS);
