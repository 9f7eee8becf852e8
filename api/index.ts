// Vercel entry point: every /api/* route of the MarketHub app (vercel.json rewrites them here with
// their original path). Postgres from DATABASE_URL, uploads to S3_BUCKET served from CDN_BASE_URL.
import { markethubVercelHandler } from '../shim/app/index.js';

export default markethubVercelHandler();
