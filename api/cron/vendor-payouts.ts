// Vercel Cron: vendor-payouts (schedule in vercel.json). Answers 401 unless Authorization is Bearer $CRON_SECRET.
import { markethubCronHandler } from '../../shim/app/index.js';

export default markethubCronHandler('vendor-payouts');
