// Uploads are what they say they are: the bytes must match the declared image or PDF type, and
// /uploads answers with X-Content-Type-Options: nosniff so a browser never guesses HTML.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import request from 'supertest';
import { prepareBackends, type Backends } from '../app/fixture.js';

const DIALECTS = ['mysql', 'postgres'] as const;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000a49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082', 'hex');
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>');
let backends: Backends;

beforeAll(async () => {
  backends = await prepareBackends('secupload');
});

afterAll(async () => {
  await backends?.close();
});

for (const dialect of DIALECTS) {
  test(`HTML sent as image/png is refused; a real PNG is stored and served with nosniff (${dialect})`, async () => {
    const app = backends[dialect].app;
    const reg = await request(app).post('/api/auth/register').send({ email: `uploader.${dialect}@example.com`, password: 'long enough 1', firstName: 'Up' });
    const token = reg.body.accessToken as string;
    const upload = (buffer: Buffer, filename: string, contentType: string) =>
      request(app).post('/api/users/me/avatar').set('Authorization', `Bearer ${token}`).attach('avatar', buffer, { filename, contentType });
    for (const [buffer, name, type] of [[HTML, 'x.png', 'image/png'], [HTML, 'x.jpg', 'image/jpeg'], [PNG, 'x.gif', 'image/gif'], [Buffer.alloc(0), 'x.png', 'image/png']] as const) {
      const refused = await upload(buffer, name, type);
      assert.equal(refused.status, 400, `${name} as ${type}: ${JSON.stringify(refused.body)}`);
      assert.deepEqual(Object.keys(refused.body.error.fields), ['avatar']);
    }
    const ok = await upload(PNG, 'me.png', 'image/png');
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const served = await request(app).get(ok.body.user.avatar);
    assert.equal(served.status, 200);
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
    assert.equal(served.headers['content-type'], 'image/png');
  });

  test(`a ticket attachment declared PDF must be a PDF; text must be text (${dialect})`, async () => {
    const app = backends[dialect].app;
    const reg = await request(app).post('/api/auth/register').send({ email: `attacher.${dialect}@example.com`, password: 'long enough 1', firstName: 'At' });
    const token = reg.body.accessToken as string;
    const ticket = await request(app).post('/api/support/tickets').set('Authorization', `Bearer ${token}`).send({ subject: 'Files', message: 'See attached' });
    assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
    const attach = (buffer: Buffer, filename: string, contentType: string) =>
      request(app).post(`/api/support/tickets/${ticket.body.ticket.id}/attachments`).set('Authorization', `Bearer ${token}`).attach('file', buffer, { filename, contentType });
    assert.equal((await attach(HTML, 'x.pdf', 'application/pdf')).status, 400);
    assert.equal((await attach(Buffer.from([0x00, 0xff, 0xfe, 0x00]), 'x.txt', 'text/plain')).status, 400);
    assert.equal((await attach(Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'), 'x.pdf', 'application/pdf')).status, 201);
    assert.equal((await attach(Buffer.from('plain words\n'), 'x.txt', 'text/plain')).status, 201);
  });
}
