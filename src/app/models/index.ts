// The MarketHub models, defined once for both dialects. The tables already exist (the legacy
// schema in scripts/sample/markethub-legacy.sql, or its migrated copy in Postgres): nothing here
// creates or alters a table.
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { sequelizeRuntime } from './sequelize-runtime.js';
import {
  binaryColumn, booleanColumn, charColumn, dateOnlyColumn, decimalColumn, dialectOf, enumColumn, floatColumn,
  intColumn, jsonColumn, setColumn,
} from './dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Model<any, any>;
export type Table = ModelStatic<Row>;

export interface Models {
  User: Table;
  Vendor: Table;
  Category: Table;
  Product: Table;
  ProductImage: Table;
  Order: Table;
  OrderItem: Table;
  Review: Table;
  Cart: Table;
  CartItem: Table;
  Wishlist: Table;
  Journal: Table;
  SupportTicket: Table;
  SupportAttachment: Table;
  RefreshToken: Table;
  UserSession: Table;
}

export const ROLES = ['customer', 'vendor', 'admin', 'support'] as const;
export type Role = (typeof ROLES)[number];
export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'] as const;
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'push', 'newsletter'] as const;
export const JOURNAL_TAGS = ['news', 'recipes', 'guides', 'vendors', 'behind-the-scenes'] as const;
export const JOURNAL_STATUSES = ['draft', 'published', 'archived'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;

const id = () => ({ ...intColumn('id'), primaryKey: true, autoIncrement: true });

/** Defines every model on `sequelize` (idempotent per instance) and returns them. */
export function defineModels(sequelize: Sequelize): Models {
  const { DataTypes } = sequelizeRuntime();
  if (sequelize.models.User) return modelsOf(sequelize);
  const dialect = dialectOf(sequelize);
  const common = { underscored: true, freezeTableName: true };

  const User = sequelize.define('User', {
    id: id(),
    email: { type: DataTypes.STRING(255), allowNull: false },
    passwordHash: { ...charColumn('passwordHash', 60), allowNull: false },
    firstName: { type: DataTypes.STRING(100), allowNull: false },
    lastName: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
    displayName: { type: DataTypes.STRING(191) },
    phone: { type: DataTypes.STRING(32) },
    role: { ...enumColumn(ROLES), allowNull: false, defaultValue: 'customer' },
    avatar: { type: DataTypes.STRING(255) },
    birthDate: dateOnlyColumn('birthDate'),
    isActive: { ...booleanColumn('isActive'), allowNull: false, defaultValue: true },
    emailVerified: booleanColumn('emailVerified'),
    notificationPrefs: { ...setColumn(dialect, 'notificationPrefs', NOTIFICATION_CHANNELS), allowNull: false, defaultValue: dialect === 'postgres' ? ['email'] : 'email' },
    facebookId: { ...intColumn('facebookId'), type: DataTypes.BIGINT },
    defaultAddressId: intColumn('defaultAddressId'),
    lastLoginAt: { type: DataTypes.DATE },
    loginCount: { ...intColumn('loginCount'), allowNull: false, defaultValue: 0 },
  }, { ...common, tableName: 'users' });

  const Vendor = sequelize.define('Vendor', {
    id: id(),
    ownerId: { ...intColumn('ownerId'), allowNull: false },
    name: { type: DataTypes.STRING(150), allowNull: false },
    slug: { type: DataTypes.STRING(160), allowNull: false },
    logo: { type: DataTypes.STRING(255) },
    banner: { type: DataTypes.STRING(255) },
    description: { type: DataTypes.TEXT },
    commissionRate: { ...decimalColumn('commissionRate', 5, 4), allowNull: false, defaultValue: '0.1500' },
    rating: floatColumn('rating'),
    foundedYear: intColumn('foundedYear'),
    isVerified: { ...booleanColumn('isVerified'), allowNull: false, defaultValue: false },
    payoutIban: { type: DataTypes.STRING(34) },
    settings: jsonColumn(dialect, 'settings'),
  }, { ...common, tableName: 'vendors' });

  const Category = sequelize.define('Category', {
    id: id(),
    parentId: intColumn('parentId'),
    name: { type: DataTypes.STRING(100), allowNull: false },
    slug: { type: DataTypes.STRING(120), allowNull: false },
    order: { ...intColumn('order'), allowNull: false, defaultValue: 0 },
    icon: { type: DataTypes.STRING(64) },
    isVisible: { ...booleanColumn('isVisible'), allowNull: false, defaultValue: true },
  }, { ...common, tableName: 'categories' });

  const Product = sequelize.define('Product', {
    id: id(),
    vendorId: { ...intColumn('vendorId'), allowNull: false },
    categoryId: intColumn('categoryId'),
    sku: { type: DataTypes.STRING(64), allowNull: false },
    name: { type: DataTypes.STRING(255), allowNull: false },
    slug: { type: DataTypes.STRING(255), allowNull: false },
    description: { type: DataTypes.TEXT },
    price: { ...decimalColumn('price', 10, 2), allowNull: false },
    compareAtPrice: decimalColumn('compareAtPrice', 10, 2),
    currency: { ...charColumn('currency', 3), allowNull: false, defaultValue: 'EUR' },
    stock: { ...intColumn('stock'), allowNull: false, defaultValue: 0 },
    weightGrams: intColumn('weightGrams'),
    // TINYINT(1) that holds -1..2: the migration keeps it an integer (smallint), not a boolean.
    isFeatured: { ...intColumn('isFeatured'), allowNull: false, defaultValue: 0 },
    isPublished: { ...booleanColumn('isPublished'), allowNull: false, defaultValue: true },
    attributes: jsonColumn(dialect, 'attributes'),
    averageRating: { type: DataTypes.DOUBLE },
    viewCount: { ...intColumn('viewCount'), allowNull: false, defaultValue: 0 },
  }, { ...common, tableName: 'products', paranoid: true });

  const ProductImage = sequelize.define('ProductImage', {
    id: id(),
    productId: { ...intColumn('productId'), allowNull: false },
    url: { type: DataTypes.STRING(255), allowNull: false },
    alt: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    order: { ...intColumn('order'), allowNull: false, defaultValue: 0 },
    width: intColumn('width'),
    height: intColumn('height'),
  }, { ...common, tableName: 'product_images' });

  // order_month (MySQL: a VIRTUAL generated column) is not mapped: Postgres cannot generate it from a
  // timestamptz (the month depends on the session time zone), so there it is a plain column.
  const Order = sequelize.define('Order', {
    id: id(),
    orderNumber: { type: DataTypes.STRING(20), allowNull: false },
    userId: intColumn('userId'),
    status: { ...enumColumn(ORDER_STATUSES), allowNull: false, defaultValue: 'pending' },
    subtotal: { ...decimalColumn('subtotal', 12, 2), allowNull: false },
    discount: { ...decimalColumn('discount', 10, 2), allowNull: false, defaultValue: '0.00' },
    shippingFee: { ...decimalColumn('shippingFee', 8, 2), allowNull: false, defaultValue: '0.00' },
    tax: { ...decimalColumn('tax', 12, 2), allowNull: false, defaultValue: '0.00' },
    total: { ...decimalColumn('total', 12, 2), allowNull: false },
    currency: { ...charColumn('currency', 3), allowNull: false, defaultValue: 'EUR' },
    couponCode: { type: DataTypes.STRING(32) },
    shippingAddress: { ...jsonColumn(dialect, 'shippingAddress'), allowNull: false },
    paymentReference: { type: DataTypes.STRING(64) },
    placedIp: binaryColumn(),
    notes: { type: DataTypes.TEXT },
    paidAt: { type: DataTypes.DATE(3) },
    shippedAt: { type: DataTypes.DATE },
  }, { ...common, tableName: 'orders' });

  // total_cents is generated by the database (STORED on both dialects): never written, not mapped.
  const OrderItem = sequelize.define('OrderItem', {
    id: id(),
    orderId: { ...intColumn('orderId'), allowNull: false },
    productId: intColumn('productId'),
    productName: { type: DataTypes.STRING(255), allowNull: false },
    quantity: { ...intColumn('quantity'), allowNull: false },
    unitPriceCents: { ...intColumn('unitPriceCents'), allowNull: false },
  }, { ...common, tableName: 'order_items', timestamps: false });

  const Review = sequelize.define('Review', {
    id: id(),
    userId: { ...intColumn('userId'), allowNull: false },
    productId: { ...intColumn('productId'), allowNull: false },
    rating: { ...intColumn('rating'), allowNull: false },
    title: { type: DataTypes.STRING(150) },
    body: { type: DataTypes.TEXT },
    isVerifiedPurchase: { ...booleanColumn('isVerifiedPurchase'), allowNull: false, defaultValue: false },
    helpfulVotes: { ...intColumn('helpfulVotes'), allowNull: false, defaultValue: 0 },
  }, { ...common, tableName: 'reviews' });

  const Cart = sequelize.define('Cart', {
    id: id(),
    userId: intColumn('userId'),
    sessionId: { type: DataTypes.STRING(64) },
    couponCode: { type: DataTypes.STRING(32) },
  }, { ...common, tableName: 'carts' });

  const CartItem = sequelize.define('CartItem', {
    id: id(),
    cartId: { ...intColumn('cartId'), allowNull: false },
    productId: { ...intColumn('productId'), allowNull: false },
    quantity: { ...intColumn('quantity'), allowNull: false, defaultValue: 1 },
    addedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  }, { ...common, tableName: 'cart_items', timestamps: false });

  const Wishlist = sequelize.define('Wishlist', {
    userId: { ...intColumn('userId'), primaryKey: true },
    productId: { ...intColumn('productId'), primaryKey: true },
    note: { type: DataTypes.STRING(255) },
  }, { ...common, tableName: 'wishlists', updatedAt: false });

  sequelize.define('Journal', {
    id: id(),
    authorId: { ...intColumn('authorId'), allowNull: false },
    title: { type: DataTypes.STRING(255), allowNull: false },
    slug: { type: DataTypes.STRING(255), allowNull: false },
    excerpt: { type: DataTypes.STRING(500) },
    body: { type: DataTypes.TEXT('long'), allowNull: false },
    coverImage: { type: DataTypes.STRING(255) },
    status: { ...enumColumn(JOURNAL_STATUSES), allowNull: false, defaultValue: 'draft' },
    tags: { ...setColumn(dialect, 'tags', JOURNAL_TAGS), allowNull: false, defaultValue: dialect === 'postgres' ? [] : '' },
    meta: jsonColumn(dialect, 'meta'),
    viewCount: { ...intColumn('viewCount'), allowNull: false, defaultValue: 0 },
    publishedAt: { type: DataTypes.DATE },
  }, { ...common, tableName: 'journals' });

  // time_spent (TIME in MySQL, interval in Postgres when values exceed 24 h) is left to its default.
  const SupportTicket = sequelize.define('SupportTicket', {
    id: id(),
    userId: { ...intColumn('userId'), allowNull: false },
    orderId: intColumn('orderId'),
    assigneeId: intColumn('assigneeId'),
    subject: { type: DataTypes.STRING(200), allowNull: false },
    message: { type: DataTypes.TEXT, allowNull: false },
    priority: { ...enumColumn(TICKET_PRIORITIES), allowNull: false, defaultValue: 'normal' },
    status: { ...enumColumn(TICKET_STATUSES), allowNull: false, defaultValue: 'open' },
    firstResponseAt: { type: DataTypes.DATE },
    closedAt: { type: DataTypes.DATE },
  }, { ...common, tableName: 'support_tickets' });

  const SupportAttachment = sequelize.define('SupportAttachment', {
    id: id(),
    ticketId: { ...intColumn('ticketId'), allowNull: false },
    filePath: { type: DataTypes.STRING(255), allowNull: false },
    originalName: { type: DataTypes.STRING(255), allowNull: false },
    mimeType: { type: DataTypes.STRING(100), allowNull: false, defaultValue: 'application/octet-stream' },
    sizeBytes: { ...intColumn('sizeBytes'), allowNull: false, defaultValue: 0 },
    checksumMd5: binaryColumn(),
  }, { ...common, tableName: 'support_attachments', updatedAt: false });

  sequelize.define('RefreshToken', {
    id: id(),
    userId: { ...intColumn('userId'), allowNull: false },
    tokenHash: { ...binaryColumn(), allowNull: false },
    familyId: { ...charColumn('familyId', 36), allowNull: false },
    replacedById: intColumn('replacedById'),
    userAgent: { type: DataTypes.STRING(512) },
    expiresAt: { type: DataTypes.DATE, allowNull: false },
    revokedAt: { type: DataTypes.DATE(3) },
    createdAt: { type: DataTypes.DATE(3) },
  }, { ...common, tableName: 'refresh_tokens', updatedAt: false });

  const UserSession = sequelize.define('UserSession', {
    sid: { type: DataTypes.STRING(64), primaryKey: true },
    userId: intColumn('userId'),
    expires: { type: DataTypes.DATE },
    data: { type: DataTypes.TEXT('medium'), allowNull: false },
    ip: binaryColumn(),
  }, { ...common, tableName: 'user_sessions' });

  Vendor.belongsTo(User, { as: 'owner', foreignKey: 'ownerId' });
  User.hasMany(Vendor, { as: 'vendors', foreignKey: 'ownerId' });
  Product.belongsTo(Vendor, { as: 'vendor', foreignKey: 'vendorId' });
  Product.belongsTo(Category, { as: 'category', foreignKey: 'categoryId' });
  Product.hasMany(ProductImage, { as: 'images', foreignKey: 'productId' });
  Order.hasMany(OrderItem, { as: 'items', foreignKey: 'orderId' });
  OrderItem.belongsTo(Order, { as: 'order', foreignKey: 'orderId' });
  Cart.hasMany(CartItem, { as: 'items', foreignKey: 'cartId' });
  CartItem.belongsTo(Product, { as: 'product', foreignKey: 'productId' });
  Wishlist.belongsTo(Product, { as: 'product', foreignKey: 'productId' });
  Review.belongsTo(User, { as: 'user', foreignKey: 'userId' });
  SupportTicket.hasMany(SupportAttachment, { as: 'attachments', foreignKey: 'ticketId' });
  UserSession.belongsTo(User, { as: 'user', foreignKey: 'userId' });

  return modelsOf(sequelize);
}

export function modelsOf(sequelize: Sequelize): Models {
  const m = sequelize.models as unknown as Partial<Models>;
  if (!m.User) throw new Error('models are not defined on this Sequelize instance: call defineModels first');
  return m as Models;
}
