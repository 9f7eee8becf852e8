// The API contract, written once and run against any backend: the main journeys of a customer,
// a vendor and an admin, with the expected answers asserted along the way. Returns the transcript
// so the caller can check both backends answered alike.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Backend } from './fixture.js';
import { JWT_SECRET, PAYSTACK_SECRET } from './fixture.js';
import { Client, paystackSignature, type Entry } from './client.js';
import { fakePaystack } from './fake-paystack.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000a49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082', 'hex');
const ADDRESS = { name: 'Alice Martin', line1: '12 rue des Lilas', city: 'Lyon', postcode: '69003', country: 'FR' };

/**
 * What the contract drives: the app in process (supertest), or any server answering for it over HTTP
 * (`http`: a base URL, e.g. the serverless shim behind an adapter). Uploads are read back from the
 * local uploads root unless the target stores them elsewhere (`uploads`).
 */
export type ContractTarget = Pick<Backend, 'app' | 'sequelize' | 'uploadsRoot'> & {
  http?: string;
  uploads?: {
    /** The URL prefix of a new upload in `folder` (e.g. /uploads/product-images/). */
    prefix(folder: string): string;
    read(url: string): Promise<Buffer>;
  };
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function runContract(backend: ContractTarget): Promise<Entry[]> {
  const c = new Client(backend.http ?? backend.app);
  const uploads = backend.uploads ?? {
    prefix: (folder: string) => `/uploads/${folder}/`,
    read: (url: string) => readFile(path.join(backend.uploadsRoot, ...url.replace(/^\/uploads\//, '').split('/'))),
  };
  const sql = (query: string, replacements: Record<string, unknown> = {}) => backend.sequelize.query(query, { replacements });

  // --- health
  const health = await c.call('health', 'get', '/api/health', 200);
  assert.equal(health.body.checks.database.status, 'ok');
  assert.equal(health.body.checks.storage.status, 'ok');

  // --- register, login
  const reg = await c.call('register alice', 'post', '/api/auth/register', 201, {
    body: { email: 'Alice.Martin@Example.com', password: 'correct horse 1', firstName: 'Alice', lastName: 'Martin' },
  });
  assert.equal(reg.body.user.email, 'alice.martin@example.com');
  assert.equal(reg.body.user.role, 'customer');
  // users AUTO_INCREMENT is 40 while MAX(id) is 37: no id MySQL handed out is reused, on either database.
  assert.equal(reg.body.user.id, 40);
  assert.deepEqual(reg.body.user.notificationPrefs, ['email']);
  const claims = jwt.verify(reg.body.accessToken, JWT_SECRET, { issuer: 'markethub', audience: 'markethub-api' }) as jwt.JwtPayload;
  assert.equal(claims.sub, '40');
  assert.ok(claims.exp! - claims.iat! === 900, 'access tokens live 15 minutes');
  const [stored] = (await sql('SELECT token_hash FROM refresh_tokens WHERE user_id = 40'))[0] as { token_hash: Buffer }[];
  assert.equal(stored!.token_hash.length, 32, 'refresh tokens are stored as a sha256');
  assert.notEqual(stored!.token_hash.toString('base64url'), reg.body.refreshToken);

  await c.call('register same e-mail, other case', 'post', '/api/auth/register', 409, {
    body: { email: 'ALICE.MARTIN@example.COM', password: 'another pass', firstName: 'Mallory' },
  });
  await c.call('login wrong password', 'post', '/api/auth/login', 401, { body: { email: 'alice.martin@example.com', password: 'wrong password' } });
  await c.call('login unknown', 'post', '/api/auth/login', 401, { body: { email: 'nobody@example.com', password: 'whatever1' } });
  const login = await c.call('login alice', 'post', '/api/auth/login', 200, { body: { email: 'alice.MARTIN@example.com', password: 'correct horse 1' } });
  let alice = login.body.accessToken as string;
  assert.equal(login.body.user.id, 40);

  // --- profile
  await c.call('me without token', 'get', '/api/users/me', 401);
  await c.call('me with a forged token', 'get', '/api/users/me', 401, { token: jwt.sign({ sid: 'x' }, 'other-secret-0123456789', { subject: '40', issuer: 'markethub', audience: 'markethub-api' }) });
  await c.call('me with a token for another audience', 'get', '/api/users/me', 401, {
    token: jwt.sign({ sid: claims.sid }, JWT_SECRET, { subject: '40', issuer: 'markethub', audience: 'elsewhere' }),
  });
  const me = await c.call('me', 'get', '/api/users/me', 200, { token: alice });
  assert.equal(me.body.user.firstName, 'Alice');
  const patched = await c.call('patch me', 'patch', '/api/users/me', 200, {
    token: alice, body: { displayName: 'Alice M. 🌸', notificationPrefs: ['push', 'email'], birthDate: '1990-02-28' },
  });
  assert.deepEqual(patched.body.user.notificationPrefs, ['email', 'push']);
  assert.equal(patched.body.user.birthDate, '1990-02-28');
  assert.equal(patched.body.user.displayName, 'Alice M. 🌸');
  const avatar = await c.call('avatar', 'post', '/api/users/me/avatar', 201, {
    token: alice, attach: { field: 'avatar', buffer: PNG, filename: 'me.png', contentType: 'image/png' },
  });
  assert.match(avatar.body.user.avatar, new RegExp(`^${escapeRegExp(uploads.prefix('user-avatars'))}u40-[0-9a-f]{16}\\.png$`));
  assert.deepEqual(await uploads.read(avatar.body.user.avatar), PNG);

  // --- refresh rotation and reuse detection
  const r1 = reg.body.refreshToken as string;
  const rot1 = await c.call('refresh r1', 'post', '/api/auth/refresh', 200, { body: { refreshToken: r1 } });
  const r2 = rot1.body.refreshToken as string;
  assert.notEqual(r2, r1);
  const rot2 = await c.call('refresh r2', 'post', '/api/auth/refresh', 200, { body: { refreshToken: r2 } });
  const r3 = rot2.body.refreshToken as string;
  await c.call('me with rotated access token', 'get', '/api/users/me', 200, { token: rot2.body.accessToken });
  const reused = await c.call('reuse r1', 'post', '/api/auth/refresh', 401, { body: { refreshToken: r1 } });
  assert.equal(reused.body.error.code, 'refresh_token_reused');
  await c.call('r3 after reuse: the whole session is revoked', 'post', '/api/auth/refresh', 401, { body: { refreshToken: r3 } });
  await c.call('access token of the revoked session', 'get', '/api/users/me', 401, { token: rot2.body.accessToken });
  await c.call('unknown refresh token', 'post', '/api/auth/refresh', 401, { body: { refreshToken: 'x'.repeat(43) } });

  // --- sessions
  const second = await c.call('login again', 'post', '/api/auth/login', 200, {
    body: { email: 'alice.martin@example.com', password: 'correct horse 1' }, headers: { 'User-Agent': 'phone' },
  });
  const sessions = await c.call('list sessions', 'get', '/api/auth/sessions', 200, { token: alice });
  assert.equal(sessions.body.sessions.length, 2);
  assert.equal(sessions.body.sessions.filter((s: { current: boolean }) => s.current).length, 1);
  const other = sessions.body.sessions.find((s: { current: boolean }) => !s.current);
  assert.equal(other.userAgent, 'phone');
  await c.call('revoke other session', 'delete', `/api/auth/sessions/${other.id}`, 204, { token: alice });
  await c.call('revoked session cannot refresh', 'post', '/api/auth/refresh', 401, { body: { refreshToken: second.body.refreshToken } });
  await c.call('revoke unknown session', 'delete', '/api/auth/sessions/nope', 404, { token: alice });

  // --- browse
  const page1 = await c.call('products page 1', 'get', '/api/products?limit=5', 200);
  assert.equal(page1.body.total, 47);
  assert.equal(page1.body.items.length, 5);
  const page10 = await c.call('products last page', 'get', '/api/products?limit=5&page=10', 200);
  assert.equal(page10.body.items.length, 2);
  const lampe = await c.call('search is case-insensitive', 'get', '/api/products?q=LAMPE', 200);
  assert.deepEqual(lampe.body.items.map((p: { id: number }) => p.id), [1]);
  const accented = await c.call('search folds case of accented letters', 'get', `/api/products?q=${encodeURIComponent('DÉCAF')}`, 200);
  assert.deepEqual(accented.body.items.map((p: { id: number }) => p.id), [33]);
  const unaccented = await c.call('search keeps accents apart', 'get', '/api/products?q=decaf', 200);
  assert.equal(unaccented.body.total, 0);
  const wild = await c.call('search treats % literally', 'get', `/api/products?q=${encodeURIComponent('%')}`, 200);
  assert.equal(wild.body.total, 0);
  const bySku = await c.call('search by sku', 'get', '/api/products?q=al-lamp', 200);
  assert.deepEqual(bySku.body.items.map((p: { id: number }) => p.id).sort(), [1, 2, 6]);
  const cat = await c.call('category with subcategories', 'get', '/api/products?category=1&limit=100', 200);
  assert.ok(cat.body.items.every((p: { categoryId: number }) => [1, 7, 8].includes(p.categoryId)));
  assert.ok(cat.body.items.some((p: { categoryId: number }) => p.categoryId === 7));
  const priced = await c.call('price range, cheapest first', 'get', '/api/products?minPrice=20&maxPrice=50&sort=price_asc&limit=100', 200);
  const prices = priced.body.items.map((p: { price: string }) => Number(p.price));
  assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
  assert.ok(prices.every((p: number) => p >= 20 && p <= 50));
  await c.call('vendor filter', 'get', '/api/products?vendor=2&sort=price_desc', 200);
  const one = await c.call('product with images and vendor', 'get', '/api/products/1', 200);
  assert.equal(one.body.product.vendor.slug, 'atelier-lumiere');
  assert.deepEqual(one.body.product.images.map((i: { order: number }) => i.order), [0, 1]);
  assert.equal(one.body.product.price, '89.00');
  // DATETIME written in UTC by the legacy app reads back as the same instant on both databases.
  assert.equal(one.body.product.createdAt, '2019-04-12T10:00:00.000Z');
  assert.equal(one.body.product.isPublished, true);
  assert.equal(one.body.product.attributes.dimensions.unit, 'cm');
  const vendor3 = await c.call('vendor with a FLOAT rating', 'get', '/api/vendors/3', 200);
  assert.equal(vendor3.body.vendor.rating, 3.33333);
  assert.equal(vendor3.body.vendor.isVerified, true);
  await c.call('soft-deleted product', 'get', '/api/products/48', 404);
  await c.call('unpublished product', 'get', '/api/products/47', 404);

  // --- cart, wishlist
  await c.call('cart needs login', 'get', '/api/cart', 401);
  await c.call('add 2 of product 2', 'post', '/api/cart/items', 201, { token: alice, body: { productId: 2, quantity: 2 } });
  await c.call('add product 3', 'post', '/api/cart/items', 201, { token: alice, body: { productId: 3 } });
  await c.call('add product 9', 'post', '/api/cart/items', 201, { token: alice, body: { productId: 9 } });
  await c.call('remove product 9', 'delete', '/api/cart/items/9', 200, { token: alice });
  const cart = await c.call('set quantity of product 3', 'patch', '/api/cart/items/3', 200, { token: alice, body: { quantity: 3 } });
  assert.equal(cart.body.cart.subtotal, '371.50');
  await c.call('add a soft-deleted product', 'post', '/api/cart/items', 400, { token: alice, body: { productId: 48 } });
  await c.call('wishlist add', 'post', '/api/wishlist', 201, { token: alice, body: { productId: 8, note: 'birthday' } });
  await c.call('wishlist add again', 'post', '/api/wishlist', 200, { token: alice, body: { productId: 8 } });
  const wish = await c.call('wishlist', 'get', '/api/wishlist', 200, { token: alice });
  assert.deepEqual(wish.body.items.map((i: { productId: number; note: string }) => [i.productId, i.note]), [[8, 'birthday']]);
  await c.call('wishlist remove', 'delete', '/api/wishlist/8', 204, { token: alice });
  await c.call('wishlist remove again', 'delete', '/api/wishlist/8', 404, { token: alice });

  // --- order and payment
  const placed = await c.call('place order', 'post', '/api/orders', 201, { token: alice, body: { shippingAddress: ADDRESS, notes: 'ring twice' } });
  const order = placed.body.order;
  assert.equal(order.total, '371.50');
  assert.equal(order.status, 'pending');
  assert.deepEqual(order.items.map((i: { productId: number; quantity: number; lineTotal: string }) => [i.productId, i.quantity, i.lineTotal]), [[2, 2, '298.00'], [3, 3, '73.50']]);
  assert.equal(placed.body.payment.amount, 37150);
  assert.deepEqual(order.shippingAddress, ADDRESS);
  const [[generated]] = (await sql('SELECT SUM(total_cents) AS cents FROM order_items WHERE order_id = :id', { id: order.id })) as unknown as [[{ cents: unknown }]];
  assert.equal(Number(generated.cents), 37150, 'the generated total_cents column computes on both databases');
  const afterOrder = await c.call('stock decremented', 'get', '/api/products/2', 200);
  assert.equal(afterOrder.body.product.stock, 10);
  const emptied = await c.call('cart emptied', 'get', '/api/cart', 200, { token: alice });
  assert.deepEqual(emptied.body.cart.items, []);
  await c.call('order from an empty cart', 'post', '/api/orders', 409, { token: alice, body: { shippingAddress: ADDRESS } });
  const mine = await c.call('my orders', 'get', '/api/orders', 200, { token: alice });
  assert.deepEqual(mine.body.items.map((o: { id: number }) => o.id), [order.id]);
  await c.call('my order', 'get', `/api/orders/${order.id}`, 200, { token: alice });
  await c.call('someone else\'s seeded order', 'get', '/api/orders/1', 404, { token: alice });

  // Paystack's verify endpoint (a fake on loopback) has the payment as the event tells it.
  (await fakePaystack(PAYSTACK_SECRET)).record({ reference: placed.body.payment.reference, status: 'success', amount: 37150, currency: 'EUR' });
  const event = JSON.stringify({ event: 'charge.success', data: { reference: placed.body.payment.reference, amount: 37150, currency: 'EUR', status: 'success', paid_at: '2024-07-01T10:00:00.123Z' } });
  await c.call('webhook, bad signature', 'post', '/api/webhooks/paystack', 401, { raw: event, headers: { 'x-paystack-signature': paystackSignature(event, 'sk_wrong') } });
  await c.call('webhook, no signature', 'post', '/api/webhooks/paystack', 401, { raw: event });
  const tampered = event.replace('37150', '100');
  await c.call('webhook, body changed after signing', 'post', '/api/webhooks/paystack', 401, { raw: tampered, headers: { 'x-paystack-signature': paystackSignature(event) } });
  const paid = await c.call('webhook charge.success', 'post', '/api/webhooks/paystack', 200, { raw: event, headers: { 'x-paystack-signature': paystackSignature(event) } });
  assert.equal(paid.body.handled, true);
  const paidOrder = await c.call('order is paid', 'get', `/api/orders/${order.id}`, 200, { token: alice });
  assert.equal(paidOrder.body.order.status, 'paid');
  assert.equal(paidOrder.body.order.paidAt, '2024-07-01T10:00:00.123Z');
  const again = await c.call('webhook repeated', 'post', '/api/webhooks/paystack', 200, { raw: event, headers: { 'x-paystack-signature': paystackSignature(event) } });
  assert.equal(again.body.handled, false);
  const later = JSON.stringify({ event: 'charge.success', data: { reference: placed.body.payment.reference, amount: 37150, paid_at: '2024-08-01T00:00:00Z' } });
  await c.call('webhook repeated with another date', 'post', '/api/webhooks/paystack', 200, { raw: later, headers: { 'x-paystack-signature': paystackSignature(later) } });
  const still = await c.call('order unchanged by repeats', 'get', `/api/orders/${order.id}`, 200, { token: alice });
  assert.deepEqual(still.body.order, paidOrder.body.order);
  const unknown = JSON.stringify({ event: 'charge.success', data: { reference: 'nope', amount: 1 } });
  await c.call('webhook for an unknown reference', 'post', '/api/webhooks/paystack', 200, { raw: unknown, headers: { 'x-paystack-signature': paystackSignature(unknown) } });

  // --- reviews
  const review = await c.call('review a bought product', 'post', '/api/products/2/reviews', 201, { token: alice, body: { rating: 4, title: 'Très belle', body: 'Lumière douce.' } });
  assert.equal(review.body.review.isVerifiedPurchase, true);
  await c.call('second review of the same product', 'post', '/api/products/2/reviews', 409, { token: alice, body: { rating: 1 } });
  const reviews = await c.call('reviews of product 2', 'get', '/api/products/2/reviews', 200);
  assert.ok(reviews.body.reviews.some((r: { userId: number }) => r.userId === 40));
  const rated = await c.call('average rating updated', 'get', '/api/products/2', 200);
  assert.equal(typeof rated.body.product.averageRating, 'number');

  // --- vendors and product CRUD with permissions
  const bobReg = await c.call('register bob', 'post', '/api/auth/register', 201, { body: { email: 'bob@example.com', password: 'bob password', firstName: 'Bob' } });
  const bob = bobReg.body.accessToken as string;
  await c.call('customer cannot create products', 'post', '/api/products', 403, { token: bob, body: { name: 'X', sku: 'X-1', price: '1.00', stock: 1 } });
  const applied = await c.call('bob applies', 'post', '/api/vendors/apply', 201, { token: bob, body: { name: 'Bob\'s Bikes', description: 'Vélos' } });
  assert.equal(applied.body.vendor.isVerified, false);
  await c.call('bob applies twice', 'post', '/api/vendors/apply', 409, { token: bob, body: { name: 'Bob again' } });
  await c.call('public list hides pending', 'get', '/api/vendors?status=pending', 401);
  const adminReg = await c.call('register carol', 'post', '/api/auth/register', 201, { body: { email: 'carol@example.com', password: 'carol password', firstName: 'Carol' } });
  await sql(`UPDATE users SET role = 'admin' WHERE id = :id`, { id: adminReg.body.user.id });
  const admin = adminReg.body.accessToken as string;
  await c.call('customer cannot approve', 'post', `/api/vendors/${applied.body.vendor.id}/approve`, 403, { token: alice });
  await c.call('customer cannot see the dashboard', 'get', '/api/admin/dashboard', 403, { token: alice });
  const pending = await c.call('admin lists pending vendors', 'get', '/api/vendors?status=pending', 200, { token: admin });
  assert.ok(pending.body.items.some((v: { id: number }) => v.id === applied.body.vendor.id));
  assert.ok(pending.body.items.some((v: { id: number }) => v.id === 5), 'seeded BIT(1) 0 reads as not verified');
  const approved = await c.call('admin approves bob', 'post', `/api/vendors/${applied.body.vendor.id}/approve`, 200, { token: admin });
  assert.equal(approved.body.vendor.isVerified, true);
  const bobMe = await c.call('bob is a vendor now', 'get', '/api/users/me', 200, { token: bob });
  assert.equal(bobMe.body.user.role, 'vendor');
  const created = await c.call('bob creates a product', 'post', '/api/products', 201, {
    token: bob, body: { name: 'Vélo de ville', sku: 'BB-VELO-1', price: 499.9, stock: 3, categoryId: 1, attributes: { frame: 'acier', sizes: [52, 56] } },
  });
  const productId = created.body.product.id as number;
  assert.equal(productId, 51, 'products AUTO_INCREMENT continues in Postgres');
  assert.equal(created.body.product.price, '499.90');
  assert.equal(created.body.product.vendorId, applied.body.vendor.id);
  await c.call('duplicate sku', 'post', '/api/products', 409, { token: bob, body: { name: 'Again', sku: 'BB-VELO-1', price: '1', stock: 1 } });
  const daveReg = await c.call('register dave', 'post', '/api/auth/register', 201, { body: { email: 'dave@example.com', password: 'dave password', firstName: 'Dave' } });
  const dave = daveReg.body.accessToken as string;
  const daveVendor = await c.call('dave applies', 'post', '/api/vendors/apply', 201, { token: dave, body: { name: 'Dave Design' } });
  await c.call('admin approves dave', 'post', `/api/vendors/${daveVendor.body.vendor.id}/approve`, 200, { token: admin });
  await c.call('another vendor cannot edit bob\'s product', 'patch', `/api/products/${productId}`, 403, { token: dave, body: { price: '1.00' } });
  await c.call('a customer cannot edit it', 'patch', `/api/products/${productId}`, 403, { token: alice, body: { price: '1.00' } });
  const edited = await c.call('bob edits his product', 'patch', `/api/products/${productId}`, 200, { token: bob, body: { price: '450', compareAtPrice: '499.90', isPublished: true } });
  assert.equal(edited.body.product.price, '450.00');
  assert.equal(edited.body.product.compareAtPrice, '499.90');
  await c.call('compare-at below price', 'patch', `/api/products/${productId}`, 400, { token: bob, body: { compareAtPrice: '10.00' } });
  const byAdmin = await c.call('admin edits it', 'patch', `/api/products/${productId}`, 200, { token: admin, body: { stock: 7 } });
  assert.equal(byAdmin.body.product.stock, 7);
  const image = await c.call('bob uploads an image', 'post', `/api/products/${productId}/images`, 201, {
    token: bob, attach: { field: 'image', buffer: PNG, filename: 'velo.png', contentType: 'image/png' },
  });
  assert.match(image.body.image.url, new RegExp(`^${escapeRegExp(uploads.prefix('product-images'))}p${productId}-[0-9a-f]{16}\\.png$`));
  assert.equal(image.body.image.order, 0);
  assert.deepEqual(await uploads.read(image.body.image.url), PNG);
  await c.call('dave cannot upload to it', 'post', `/api/products/${productId}/images`, 403, {
    token: dave, attach: { field: 'image', buffer: PNG, filename: 'x.png', contentType: 'image/png' },
  });
  const found = await c.call('new product is searchable', 'get', `/api/products?q=${encodeURIComponent('VÉLO')}`, 200);
  assert.deepEqual(found.body.items.map((p: { id: number }) => p.id), [productId]);
  await c.call('dave cannot delete it', 'delete', `/api/products/${productId}`, 403, { token: dave });
  await c.call('bob deletes it', 'delete', `/api/products/${productId}`, 204, { token: bob });
  await c.call('deleted product is gone', 'get', `/api/products/${productId}`, 404);
  await c.call('admin creates a product for a vendor', 'post', '/api/products', 201, { token: admin, body: { name: 'Tasse', sku: 'AL-CUP-9', price: '12', stock: 2, vendorId: 1 } });

  // --- admin dashboard
  const dash = await c.call('dashboard', 'get', '/api/admin/dashboard', 200, { token: admin });
  assert.equal(dash.body.totals.users, 37 + 4);
  assert.match(dash.body.totals.revenue, /^\d+\.\d{2}$/);

  // --- journals and support
  const post = await c.call('admin publishes a journal post', 'post', '/api/journals', 201, {
    token: admin, body: { title: 'Nouveautés d\'été', body: '<p>Bonjour</p>', status: 'published', tags: ['vendors', 'news'], meta: { seo: { title: 'Été' } } },
  });
  assert.deepEqual(post.body.journal.tags, ['news', 'vendors']);
  await c.call('customer cannot publish', 'post', '/api/journals', 403, { token: alice, body: { title: 'x', body: 'y' } });
  const journal = await c.call('read the post', 'get', `/api/journals/${post.body.journal.slug}`, 200);
  assert.deepEqual(journal.body.journal.meta, { seo: { title: 'Été' } });
  await c.call('journal list', 'get', '/api/journals?limit=3', 200);
  const ticket = await c.call('alice opens a ticket', 'post', '/api/support/tickets', 201, {
    token: alice, body: { subject: 'Where is my lamp?', message: 'Order placed yesterday.', orderId: order.id, priority: 'high' },
  });
  const withFile = await c.call('alice attaches a file', 'post', `/api/support/tickets/${ticket.body.ticket.id}/attachments`, 201, {
    token: alice, attach: { field: 'file', buffer: Buffer.from('hello\n'), filename: 'note.txt', contentType: 'text/plain' },
  });
  assert.equal(withFile.body.ticket.attachments[0].checksumMd5, 'b1946ac92492d2347c6235b4d2611184');
  assert.equal(withFile.body.ticket.attachments[0].sizeBytes, 6);
  await c.call('bob cannot read alice\'s ticket', 'get', `/api/support/tickets/${ticket.body.ticket.id}`, 404, { token: bob });
  await c.call('admin reads it', 'get', `/api/support/tickets/${ticket.body.ticket.id}`, 200, { token: admin });

  // --- logout
  await c.call('logout', 'post', '/api/auth/logout', 204, { token: alice });
  await c.call('after logout', 'get', '/api/users/me', 401, { token: alice });
  alice = '';

  // --- one error handler, no leaks
  await c.call('unknown route', 'get', '/api/nope', 404);
  const broken = await c.call('malformed JSON', 'post', '/api/auth/login', 400, { raw: '{"email":' });
  assert.equal(broken.body.error.code, 'invalid_json');
  return c.transcript;
}
