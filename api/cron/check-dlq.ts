// Vercel Cron: alerts by e-mail about jobs that landed in the dead-letter queue (Bearer $CRON_SECRET).
import { markethubJobsHandler } from '../../shim/app/index.js';

export default markethubJobsHandler();
