// What the API answers: explicit shapes, the same on both dialects (the models already read
// values identically; this picks the public fields and renders dates as ISO strings).
import type { Row } from '../models/index.js';

export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const d = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

// After an INSERT, MySQL hands back only the id (Postgres: the whole row): reload before showing a
// created row; a column still missing reads as null on both.
const v = (row: Row, key: string) => (row.get(key) as unknown) ?? null;

export function userView(u: Row) {
  return {
    id: v(u, 'id'), email: v(u, 'email'), firstName: v(u, 'firstName'), lastName: v(u, 'lastName'),
    displayName: v(u, 'displayName'), phone: v(u, 'phone'), role: v(u, 'role'), avatar: v(u, 'avatar'),
    birthDate: v(u, 'birthDate'), emailVerified: v(u, 'emailVerified'), notificationPrefs: v(u, 'notificationPrefs'),
    lastLoginAt: iso(v(u, 'lastLoginAt')), createdAt: iso(v(u, 'createdAt')),
  };
}

export function vendorView(x: Row) {
  return {
    id: v(x, 'id'), ownerId: v(x, 'ownerId'), name: v(x, 'name'), slug: v(x, 'slug'), logo: v(x, 'logo'),
    banner: v(x, 'banner'), description: v(x, 'description'), commissionRate: v(x, 'commissionRate'),
    rating: v(x, 'rating'), foundedYear: v(x, 'foundedYear'), isVerified: v(x, 'isVerified'),
    settings: v(x, 'settings'), createdAt: iso(v(x, 'createdAt')),
  };
}

export function imageView(i: Row) {
  return { id: v(i, 'id'), url: v(i, 'url'), alt: v(i, 'alt'), order: v(i, 'order'), width: v(i, 'width'), height: v(i, 'height') };
}

export function productView(p: Row) {
  const vendor = p.get('vendor') as Row | undefined;
  const category = p.get('category') as Row | undefined;
  const images = p.get('images') as Row[] | undefined;
  return {
    id: v(p, 'id'), vendorId: v(p, 'vendorId'), categoryId: v(p, 'categoryId'), sku: v(p, 'sku'), name: v(p, 'name'),
    slug: v(p, 'slug'), description: v(p, 'description'), price: v(p, 'price'), compareAtPrice: v(p, 'compareAtPrice'),
    currency: v(p, 'currency'), stock: v(p, 'stock'), weightGrams: v(p, 'weightGrams'), isFeatured: v(p, 'isFeatured'),
    isPublished: v(p, 'isPublished'), attributes: v(p, 'attributes'), averageRating: v(p, 'averageRating'),
    createdAt: iso(v(p, 'createdAt')), updatedAt: iso(v(p, 'updatedAt')),
    ...(vendor !== undefined ? { vendor: vendor && { id: v(vendor, 'id'), name: v(vendor, 'name'), slug: v(vendor, 'slug') } } : {}),
    ...(category !== undefined ? { category: category && { id: v(category, 'id'), name: v(category, 'name'), slug: v(category, 'slug') } } : {}),
    ...(images !== undefined ? { images: images.map(imageView) } : {}),
  };
}

export function orderView(o: Row) {
  const items = o.get('items') as Row[] | undefined;
  return {
    id: v(o, 'id'), orderNumber: v(o, 'orderNumber'), userId: v(o, 'userId'), status: v(o, 'status'),
    subtotal: v(o, 'subtotal'), discount: v(o, 'discount'), shippingFee: v(o, 'shippingFee'), tax: v(o, 'tax'),
    total: v(o, 'total'), currency: v(o, 'currency'), couponCode: v(o, 'couponCode'),
    shippingAddress: v(o, 'shippingAddress'), paymentReference: v(o, 'paymentReference'), notes: v(o, 'notes'),
    paidAt: iso(v(o, 'paidAt')), shippedAt: iso(v(o, 'shippedAt')), createdAt: iso(v(o, 'createdAt')),
    ...(items !== undefined
      ? {
          items: items.map((i) => ({
            id: v(i, 'id'), productId: v(i, 'productId'), productName: v(i, 'productName'), quantity: v(i, 'quantity'),
            unitPrice: centsToAmount(Number(v(i, 'unitPriceCents'))),
            lineTotal: centsToAmount(Number(v(i, 'unitPriceCents')) * Number(v(i, 'quantity'))),
          })),
        }
      : {}),
  };
}

export function reviewView(r: Row) {
  const user = r.get('user') as Row | undefined;
  return {
    id: v(r, 'id'), productId: v(r, 'productId'), userId: v(r, 'userId'), rating: v(r, 'rating'), title: v(r, 'title'),
    body: v(r, 'body'), isVerifiedPurchase: v(r, 'isVerifiedPurchase'), helpfulVotes: v(r, 'helpfulVotes'),
    createdAt: iso(v(r, 'createdAt')),
    ...(user ? { author: { id: v(user, 'id'), name: (v(user, 'displayName') as string | null) ?? v(user, 'firstName') } } : {}),
  };
}

export function journalView(j: Row, withBody = false) {
  return {
    id: v(j, 'id'), authorId: v(j, 'authorId'), title: v(j, 'title'), slug: v(j, 'slug'), excerpt: v(j, 'excerpt'),
    coverImage: v(j, 'coverImage'), status: v(j, 'status'), tags: v(j, 'tags'), meta: v(j, 'meta'),
    publishedAt: iso(v(j, 'publishedAt')), createdAt: iso(v(j, 'createdAt')),
    ...(withBody ? { body: v(j, 'body') } : {}),
  };
}

export function ticketView(t: Row) {
  const attachments = t.get('attachments') as Row[] | undefined;
  return {
    id: v(t, 'id'), userId: v(t, 'userId'), orderId: v(t, 'orderId'), assigneeId: v(t, 'assigneeId'),
    subject: v(t, 'subject'), message: v(t, 'message'), priority: v(t, 'priority'), status: v(t, 'status'),
    createdAt: iso(v(t, 'createdAt')),
    ...(attachments !== undefined
      ? {
          attachments: attachments.map((a) => ({
            id: v(a, 'id'), filePath: v(a, 'filePath'), originalName: v(a, 'originalName'), mimeType: v(a, 'mimeType'),
            sizeBytes: v(a, 'sizeBytes'),
            checksumMd5: Buffer.isBuffer(v(a, 'checksumMd5')) ? (v(a, 'checksumMd5') as Buffer).toString('hex') : null,
            createdAt: iso(v(a, 'createdAt')),
          })),
        }
      : {}),
  };
}

/** DECIMAL strings to integer cents and back: money is never a float. */
export function amountToCents(amount: unknown): number {
  const s = String(amount);
  const m = /^(-?)(\d+)(?:\.(\d{0,2})\d*)?$/.exec(s);
  if (!m) throw new Error(`not an amount: ${s}`);
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

export function centsToAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
