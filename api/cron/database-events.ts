// Vercel Cron: database-events (schedule in vercel.json). Answers 401 unless Authorization is Bearer $CRON_SECRET.
import { markethubCronHandler } from '../../shim/app/index.js';

export default markethubCronHandler('database-events');
