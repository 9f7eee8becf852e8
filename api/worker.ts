// Vercel Cron, every minute: runs queued jobs within the function's time budget (Bearer $CRON_SECRET).
import { markethubJobsHandler } from '../shim/app/index.js';

export default markethubJobsHandler();
