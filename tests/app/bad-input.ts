// Every write route, given bad input: 400 with field errors, never a 500.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';

export interface BadInputCase {
  name: string;
  method: 'post' | 'patch' | 'delete';
  path: string;
  as?: 'customer' | 'vendor' | 'admin' | 'none';
  body?: unknown;
  raw?: string;
  attach?: { field: string; buffer: Buffer; filename: string; contentType: string };
  /** Field keys the answer must name. */
  fields: string[];
}

const address = { name: 'A', line1: 'B', city: 'C', postcode: '1', country: 'FR' };

export const BAD_INPUT_CASES: BadInputCase[] = [
  { name: 'register: nothing', method: 'post', path: '/api/auth/register', as: 'none', body: {}, fields: ['email', 'password', 'firstName'] },
  { name: 'register: bad e-mail, short password', method: 'post', path: '/api/auth/register', as: 'none', body: { email: 'not-an-email', password: 'short', firstName: 'A' }, fields: ['email', 'password'] },
  { name: 'register: password over 72 bytes', method: 'post', path: '/api/auth/register', as: 'none', body: { email: 'a@b.co', password: 'é'.repeat(40), firstName: 'A' }, fields: ['password'] },
  { name: 'register: wrong types', method: 'post', path: '/api/auth/register', as: 'none', body: { email: 42, password: ['x'], firstName: null }, fields: ['email', 'password', 'firstName'] },
  { name: 'register: body is an array', method: 'post', path: '/api/auth/register', as: 'none', body: [1, 2], fields: ['_'] },
  { name: 'login: missing password', method: 'post', path: '/api/auth/login', as: 'none', body: { email: 'a@b.co' }, fields: ['password'] },
  { name: 'refresh: no token', method: 'post', path: '/api/auth/refresh', as: 'none', body: {}, fields: ['refreshToken'] },
  { name: 'refresh: token of the wrong type', method: 'post', path: '/api/auth/refresh', as: 'none', body: { refreshToken: 12345 }, fields: ['refreshToken'] },
  { name: 'logout: bad token type', method: 'post', path: '/api/auth/logout', body: { refreshToken: 1 }, fields: ['refreshToken'] },
  { name: 'me: empty patch', method: 'patch', path: '/api/users/me', body: {}, fields: ['_'] },
  { name: 'me: bad values', method: 'patch', path: '/api/users/me', body: { firstName: '', birthDate: '2024-02-30x', notificationPrefs: ['fax'], phone: 'call me' }, fields: ['firstName', 'birthDate', 'notificationPrefs.0', 'phone'] },
  { name: 'me: unknown field (role)', method: 'patch', path: '/api/users/me', body: { role: 'admin' }, fields: ['_'] },
  { name: 'avatar: no file', method: 'post', path: '/api/users/me/avatar', fields: ['avatar'] },
  { name: 'avatar: not an image', method: 'post', path: '/api/users/me/avatar', attach: { field: 'avatar', buffer: Buffer.from('MZ'), filename: 'x.exe', contentType: 'application/x-msdownload' }, fields: ['avatar'] },
  { name: 'avatar: wrong field name', method: 'post', path: '/api/users/me/avatar', attach: { field: 'photo', buffer: Buffer.from('x'), filename: 'x.png', contentType: 'image/png' }, fields: ['photo'] },
  { name: 'product: nothing', method: 'post', path: '/api/products', as: 'vendor', body: {}, fields: ['name', 'sku', 'price', 'stock'] },
  { name: 'product: bad values', method: 'post', path: '/api/products', as: 'vendor', body: { name: 'x', sku: 'has space', price: '12.345', stock: -1, categoryId: 'one' }, fields: ['sku', 'price', 'stock', 'categoryId'] },
  { name: 'product: price as text', method: 'post', path: '/api/products', as: 'vendor', body: { name: 'x', sku: 'S-1', price: 'free', stock: 1 }, fields: ['price'] },
  { name: 'product: compare-at below price', method: 'post', path: '/api/products', as: 'vendor', body: { name: 'x', sku: 'S-2', price: '10', compareAtPrice: '5', stock: 1 }, fields: ['compareAtPrice'] },
  { name: 'product: unknown category', method: 'post', path: '/api/products', as: 'vendor', body: { name: 'x', sku: 'S-3', price: '10', stock: 1, categoryId: 999999 }, fields: ['categoryId'] },
  { name: 'product: admin without vendorId', method: 'post', path: '/api/products', as: 'admin', body: { name: 'x', sku: 'S-4', price: '10', stock: 1 }, fields: ['vendorId'] },
  { name: 'product: stock beyond MEDIUMINT', method: 'post', path: '/api/products', as: 'vendor', body: { name: 'x', sku: 'S-5', price: '10', stock: 99_999_999 }, fields: ['stock'] },
  { name: 'product patch: empty', method: 'patch', path: '/api/products/1', as: 'admin', body: {}, fields: ['_'] },
  { name: 'product patch: bad id', method: 'patch', path: '/api/products/abc', as: 'admin', body: { stock: 1 }, fields: ['id'] },
  { name: 'product patch: bad values', method: 'patch', path: '/api/products/1', as: 'admin', body: { price: -5, isPublished: 'yes' }, fields: ['price', 'isPublished'] },
  { name: 'product delete: bad id', method: 'delete', path: '/api/products/0', as: 'admin', fields: ['id'] },
  { name: 'product image: no file', method: 'post', path: '/api/products/1/images', as: 'admin', fields: ['image'] },
  { name: 'product image: a PDF', method: 'post', path: '/api/products/1/images', as: 'admin', attach: { field: 'image', buffer: Buffer.from('%PDF'), filename: 'x.pdf', contentType: 'application/pdf' }, fields: ['image'] },
  { name: 'review: rating out of range', method: 'post', path: '/api/products/2/reviews', body: { rating: 6 }, fields: ['rating'] },
  { name: 'review: rating as text', method: 'post', path: '/api/products/2/reviews', body: { rating: 'five', title: '' }, fields: ['rating', 'title'] },
  { name: 'review: bad product id', method: 'post', path: '/api/products/1.5/reviews', body: { rating: 5 }, fields: ['id'] },
  { name: 'cart: nothing', method: 'post', path: '/api/cart/items', body: {}, fields: ['productId'] },
  { name: 'cart: zero quantity', method: 'post', path: '/api/cart/items', body: { productId: 2, quantity: 0 }, fields: ['quantity'] },
  { name: 'cart: unknown product', method: 'post', path: '/api/cart/items', body: { productId: 999999 }, fields: ['productId'] },
  { name: 'cart: product id too large', method: 'post', path: '/api/cart/items', body: { productId: 1e300 }, fields: ['productId'] },
  { name: 'cart patch: bad quantity', method: 'patch', path: '/api/cart/items/2', body: { quantity: 1.5 }, fields: ['quantity'] },
  { name: 'cart patch: bad id', method: 'patch', path: '/api/cart/items/x', body: { quantity: 1 }, fields: ['productId'] },
  { name: 'cart delete: bad id', method: 'delete', path: '/api/cart/items/-1', fields: ['productId'] },
  { name: 'wishlist: nothing', method: 'post', path: '/api/wishlist', body: {}, fields: ['productId'] },
  { name: 'wishlist: long note', method: 'post', path: '/api/wishlist', body: { productId: 2, note: 'x'.repeat(300) }, fields: ['note'] },
  { name: 'wishlist delete: bad id', method: 'delete', path: '/api/wishlist/abc', fields: ['productId'] },
  { name: 'order: nothing', method: 'post', path: '/api/orders', body: {}, fields: ['shippingAddress'] },
  { name: 'order: bad address', method: 'post', path: '/api/orders', body: { shippingAddress: { ...address, country: 'France', city: '' } }, fields: ['shippingAddress.country', 'shippingAddress.city'] },
  { name: 'order: address as text', method: 'post', path: '/api/orders', body: { shippingAddress: 'Lyon' }, fields: ['shippingAddress'] },
  { name: 'vendor apply: nothing', method: 'post', path: '/api/vendors/apply', body: {}, fields: ['name'] },
  { name: 'vendor apply: bad IBAN', method: 'post', path: '/api/vendors/apply', body: { name: 'Shop', payoutIban: 'not an iban' }, fields: ['payoutIban'] },
  { name: 'vendor approve: bad id', method: 'post', path: '/api/vendors/x/approve', as: 'admin', fields: ['id'] },
  { name: 'journal: nothing', method: 'post', path: '/api/journals', as: 'admin', body: {}, fields: ['title', 'body'] },
  { name: 'journal: unknown tag and status', method: 'post', path: '/api/journals', as: 'admin', body: { title: 't', body: 'b', tags: ['cats'], status: 'live' }, fields: ['tags.0', 'status'] },
  { name: 'ticket: nothing', method: 'post', path: '/api/support/tickets', body: {}, fields: ['subject', 'message'] },
  { name: 'ticket: bad priority, order not mine', method: 'post', path: '/api/support/tickets', body: { subject: 's', message: 'm', priority: 'asap' }, fields: ['priority'] },
  { name: 'ticket: order of someone else', method: 'post', path: '/api/support/tickets', body: { subject: 's', message: 'm', orderId: 1 }, fields: ['orderId'] },
  { name: 'attachment: no file', method: 'post', path: '/api/support/tickets/1/attachments', as: 'admin', fields: ['file'] },
  { name: 'attachment: bad ticket id', method: 'post', path: '/api/support/tickets/abc/attachments', as: 'admin', attach: { field: 'file', buffer: Buffer.from('x'), filename: 'x.txt', contentType: 'text/plain' }, fields: ['id'] },
  { name: 'webhook: valid signature, bad payload', method: 'post', path: '/api/webhooks/paystack', as: 'none', raw: JSON.stringify({ event: 'charge.success', data: { reference: '', amount: -1 } }), fields: ['data.reference', 'data.amount'] },
];

export async function checkBadInput(app: Express, tokens: Record<'customer' | 'vendor' | 'admin', string>, sign: (raw: string) => string): Promise<string[]> {
  const seen: string[] = [];
  for (const c of BAD_INPUT_CASES) {
    let req = request(app)[c.method](c.path);
    const who = c.as ?? 'customer';
    if (who !== 'none') req = req.set('Authorization', `Bearer ${tokens[who]}`);
    if (c.attach) req = req.attach(c.attach.field, c.attach.buffer, { filename: c.attach.filename, contentType: c.attach.contentType });
    else if (c.raw !== undefined) req = req.set('Content-Type', 'application/json').set('x-paystack-signature', sign(c.raw)).send(c.raw);
    else if (c.body !== undefined) req = req.send(c.body as object);
    const res = await req;
    assert.equal(res.status, 400, `${c.name}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'validation_failed', c.name);
    const fields = Object.keys(res.body.error.fields ?? {});
    for (const f of c.fields) assert.ok(fields.includes(f), `${c.name}: expected a field error for ${f}, got ${JSON.stringify(res.body.error.fields)}`);
    seen.push(`${c.name} -> ${fields.sort().join(',')}`);
  }
  return seen;
}
