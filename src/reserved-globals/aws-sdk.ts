// Imported before the AWS SDK: its `awslambda` invoke store becomes a non-enumerable global (index.ts).
import { AWS_SDK_GLOBALS, reserveGlobals } from './index.js';

reserveGlobals(AWS_SDK_GLOBALS);
