// A small Express app behind toVercel, run by Vercel's own dev server in the runtime tests: each route
// reports what reached the app's own parsers (lengths and digests of the bytes, the parsed JSON).
import { createHash } from 'node:crypto';
import express from 'express';
import multer from 'multer';
import { toVercel } from '../../shim/index.js';

export const ONE_MB = Buffer.from(Uint8Array.from({ length: 1024 * 1024 }, (_, i) => (i * 31 + 7) % 256));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const app = express();
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 5 * 1024 * 1024 } });

app.post('/raw', express.raw({ type: () => true, limit: '5mb' }), (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  res.json({ length: body.length, sha256: sha256(body), contentType: req.get('content-type') ?? null });
});
app.post('/json', express.json({ type: ['application/json', 'application/vnd.api+json'] }), (req, res) => {
  res.json({ body: req.body });
});
app.post('/form', express.urlencoded({ extended: true }), (req, res) => {
  res.json({ body: req.body });
});
app.post('/upload', upload.single('file'), (req, res) => {
  const file = req.file;
  if (!file) { res.status(400).json({ error: 'no file' }); return; }
  res.status(201).json({ name: file.originalname, type: file.mimetype, size: file.size, sha256: sha256(file.buffer), note: req.body.note ?? null });
});
app.get('/blob', (_req, res) => { res.type('application/octet-stream').send(ONE_MB); });
app.get('/cookies', (req, res) => {
  res.cookie('session', 'abc', { httpOnly: true });
  res.cookie('theme', 'dark');
  // Without cookie-parser an Express app has no req.cookies; the runtime's helper must not show through.
  res.json({ header: req.get('cookie') ?? null, cookies: (req as { cookies?: unknown }).cookies ?? null, query: req.query });
});

export default toVercel(app);
