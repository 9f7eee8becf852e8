// The benchmarks' source: a MarketHub-shaped MySQL database (users, vendors, categories, products and
// their images, reviews, orders and their items) at any scale, as one SQL script. Scale 1 is about 1.55
// million rows. Every value is arithmetic on a row number, so the same scale always gives the same
// database, and the rows are made inside the server from MariaDB's SEQUENCE engine (`seq_1_to_N`),
// which is why a million rows take seconds rather than the minutes an INSERT stream would.
//
// The shape is what a real shop's tables hold and what the migration must carry: unsigned and signed
// integers, DECIMAL money, ENUMs, JSON documents, nullable columns, DATETIME with CURRENT_TIMESTAMP
// defaults and ON UPDATE, accented, CJK and emoji text, long TEXT, upload paths under /uploads/, ten
// foreign keys with CASCADE and SET NULL, unique and composite keys.

/** Row counts for a scale; each count is at least 1 so a tiny scale is still a whole shop. */
export interface ShopSize {
  users: number;
  vendors: number;
  categories: number;
  products: number;
  imagesPerProduct: number;
  reviews: number;
  orders: number;
  itemsPerOrder: number;
}

export const SHOP_TABLES = ['users', 'vendors', 'categories', 'products', 'product_images', 'reviews', 'orders', 'order_items'] as const;

export function shopSize(scale: number): ShopSize {
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`scale must be a positive number, got ${scale}`);
  const count = (base: number) => Math.max(1, Math.round(base * scale));
  const users = Math.max(25, count(50_000));
  const products = count(60_000);
  return {
    users,
    // Every vendor is a user account: vendor v belongs to user 25·v, so there are never more vendors than users allow.
    vendors: Math.floor(users / 25),
    categories: 100,
    products,
    imagesPerProduct: 3,
    // One review per product at most keeps (user_id, product_id) unique by construction.
    reviews: products,
    orders: count(300_000),
    itemsPerOrder: 3,
  };
}

export function totalRows(size: ShopSize): number {
  return (
    size.users + size.vendors + size.categories + size.products * (1 + size.imagesPerProduct) + size.reviews + size.orders * (1 + size.itemsPerOrder)
  );
}

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/** Each table as created (columns and primary key), and the keys added once its rows are in. */
const TABLES: { name: (typeof SHOP_TABLES)[number]; columns: string[]; keys: string[] }[] = [
  {
    name: 'users',
    columns: [
      'id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY',
      'email VARCHAR(191) NOT NULL',
      'password CHAR(60) NOT NULL',
      'first_name VARCHAR(80) NOT NULL',
      'last_name VARCHAR(80) NOT NULL',
      'phone VARCHAR(32) NULL',
      'profile_image VARCHAR(255) NULL',
      'is_active TINYINT(1) NOT NULL DEFAULT 1',
      "role ENUM('customer','vendor','admin') NOT NULL DEFAULT 'customer'",
      'email_verified_at DATETIME NULL',
      'created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP',
      'updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP',
    ],
    keys: [
      'UNIQUE KEY uq_users_email (email)',
      'KEY idx_users_created (created_at)',
    ],
  },
  {
    name: 'vendors',
    columns: [
      'id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY',
      'user_id INT UNSIGNED NOT NULL',
      'business_name VARCHAR(150) NOT NULL',
      'logo VARCHAR(255) NULL',
      "status ENUM('pending','approved','rejected','suspended') NOT NULL DEFAULT 'pending'",
      'commission_rate DECIMAL(5,2) NOT NULL DEFAULT 10.00',
      'created_at DATETIME NOT NULL',
      'updated_at DATETIME NOT NULL',
    ],
    keys: [
      'CONSTRAINT fk_vendors_user FOREIGN KEY (user_id) REFERENCES users (id)',
    ],
  },
  {
    name: 'categories',
    columns: [
      'id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY',
      'parent_id INT UNSIGNED NULL',
      'name VARCHAR(100) NOT NULL',
      'slug VARCHAR(120) NOT NULL',
    ],
    keys: [
      'UNIQUE KEY uq_categories_slug (slug)',
      'CONSTRAINT fk_categories_parent FOREIGN KEY (parent_id) REFERENCES categories (id)',
    ],
  },
  {
    name: 'products',
    columns: [
      'id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY',
      'vendor_id INT UNSIGNED NOT NULL',
      'category_id INT UNSIGNED NULL',
      'name VARCHAR(200) NOT NULL',
      'slug VARCHAR(220) NOT NULL',
      'description TEXT NULL',
      'price DECIMAL(10,2) NOT NULL',
      'discounted_price DECIMAL(10,2) NULL',
      'sku VARCHAR(64) NOT NULL',
      'stock_quantity INT NOT NULL DEFAULT 0',
      "status ENUM('active','inactive','draft') NOT NULL DEFAULT 'draft'",
      'attributes JSON NULL',
      'created_at DATETIME NOT NULL',
      'updated_at DATETIME NOT NULL',
    ],
    keys: [
      'UNIQUE KEY uq_products_slug (slug)',
      'KEY idx_products_vendor (vendor_id)',
      'KEY idx_products_category_status (category_id, status)',
      'CONSTRAINT fk_products_vendor FOREIGN KEY (vendor_id) REFERENCES vendors (id)',
      'CONSTRAINT fk_products_category FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE SET NULL',
    ],
  },
  {
    name: 'product_images',
    columns: [
      'id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY',
      'product_id BIGINT UNSIGNED NOT NULL',
      'image_url VARCHAR(255) NOT NULL',
      'is_featured TINYINT(1) NOT NULL DEFAULT 0',
      'sort_order SMALLINT NOT NULL DEFAULT 0',
      'created_at DATETIME NOT NULL',
    ],
    keys: [
      'CONSTRAINT fk_product_images_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE',
    ],
  },
  {
    name: 'reviews',
    columns: [
      'id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY',
      'user_id INT UNSIGNED NOT NULL',
      'product_id BIGINT UNSIGNED NOT NULL',
      'rating TINYINT UNSIGNED NOT NULL',
      'comment TEXT NULL',
      'created_at DATETIME NOT NULL',
    ],
    keys: [
      'UNIQUE KEY uq_reviews_user_product (user_id, product_id)',
      'CONSTRAINT fk_reviews_user FOREIGN KEY (user_id) REFERENCES users (id)',
      'CONSTRAINT fk_reviews_product FOREIGN KEY (product_id) REFERENCES products (id)',
    ],
  },
  {
    name: 'orders',
    columns: [
      'id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY',
      'user_id INT UNSIGNED NOT NULL',
      'order_number CHAR(20) NOT NULL',
      'total_amount DECIMAL(12,2) NOT NULL',
      "status ENUM('pending','paid','processing','shipped','delivered','cancelled','refunded') NOT NULL DEFAULT 'pending'",
      'payment_reference VARCHAR(64) NULL',
      'shipping_address JSON NULL',
      'paid_at DATETIME NULL',
      'created_at DATETIME NOT NULL',
      'updated_at DATETIME NOT NULL',
    ],
    keys: [
      'UNIQUE KEY uq_orders_number (order_number)',
      'KEY idx_orders_user (user_id)',
      'KEY idx_orders_status_created (status, created_at)',
      'CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id)',
    ],
  },
  {
    name: 'order_items',
    columns: [
      'id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY',
      'order_id BIGINT UNSIGNED NOT NULL',
      'product_id BIGINT UNSIGNED NOT NULL',
      'quantity SMALLINT UNSIGNED NOT NULL',
      'unit_price DECIMAL(10,2) NOT NULL',
      'created_at DATETIME NOT NULL',
    ],
    keys: [
      'KEY idx_order_items_order (order_id)',
      'KEY idx_order_items_product (product_id)',
      'CONSTRAINT fk_order_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE',
      'CONSTRAINT fk_order_items_product FOREIGN KEY (product_id) REFERENCES products (id)',
    ],
  },
];

/** `pick(expr, ['a', 'b'])`: one of the values, chosen by a non-negative integer expression. */
function pick(expression: string, values: string[]): string {
  return `ELT(1 + (${expression}) % ${values.length}, ${values.map((v) => `'${v}'`).join(', ')})`;
}

/** A spread of 1..n from row number `seq` (multiplicative hashing), so related rows are not all neighbours. */
function spread(multiplier: number, n: number): string {
  return `1 + (seq * ${multiplier}) % ${n}`;
}

/** One INSERT ... SELECT per table, so tables can load on connections of their own. */
function rows(size: ShopSize): Record<(typeof SHOP_TABLES)[number], string> {
  const { users, vendors, categories, products, reviews, orders } = size;
  const images = products * size.imagesPerProduct;
  const items = orders * size.itemsPerOrder;
  const minutesFrom = (day: string, expression = 'seq') => `TIMESTAMP('${day}') + INTERVAL ${expression} MINUTE`;
  return {
    users: `INSERT INTO users SELECT seq, CONCAT('shopper', seq, '@markethub.test'),
       CONCAT('$2b$10$', LPAD(CONV(seq * 7919, 10, 36), 53, 'x')),
       ${pick('seq', ['Adaeze', 'Émile', 'Zoë', 'Tunde', '美玲', 'Kwame', 'Søren', 'Fatima'])}, CONCAT('Family', seq),
       IF(seq % 3 = 0, NULL, CONCAT('+234', 700000000 + seq)),
       IF(seq % 4 = 0, NULL, CONCAT('/uploads/user-avatars/', seq, '.jpg')),
       seq % 11 <> 0,
       IF(seq % 400 = 0, 'admin', IF(seq % 25 = 0, 'vendor', 'customer')),
       IF(seq % 6 = 0, NULL, ${minutesFrom('2023-02-01', 'seq * 2')}),
       ${minutesFrom('2022-05-01')}, TIMESTAMP('2024-03-01') + INTERVAL seq SECOND
     FROM seq_1_to_${users}`,
    vendors: `INSERT INTO vendors SELECT seq, seq * 25, CONCAT(${pick('seq', ['Lagos', 'Kano', 'Accra', 'Nairobi'])}, ' Trading ', seq),
       IF(seq % 3 = 0, NULL, CONCAT('/uploads/vendor-assets/logo-', seq, '.png')),
       ${pick('seq', ['approved', 'approved', 'pending', 'suspended', 'rejected'])}, 2.5 + (seq % 30) / 4,
       TIMESTAMP('2022-05-01') + INTERVAL seq HOUR, TIMESTAMP('2024-03-01') + INTERVAL seq MINUTE
     FROM seq_1_to_${vendors}`,
    // Ten top-level categories, each with nine children.
    categories: `INSERT INTO categories SELECT seq, IF(seq <= 10, NULL, 1 + seq % 10), CONCAT(${pick('seq', ['Fashion', 'Home', 'Beauté', 'Électronique', 'Food'])}, ' ', seq),
       CONCAT('c-', seq) FROM seq_1_to_${categories}`,
    products: `INSERT INTO products SELECT seq, ${spread(37, vendors)}, IF(seq % 40 = 0, NULL, ${spread(13, categories)}),
       CONCAT(${pick('seq', ['Ankara wrap dress', 'Kente scarf', 'Leather sandals', 'Shea butter 250 ml', 'Café beans'])}, ' #', seq),
       CONCAT('p-', seq),
       IF(seq % 7 = 0, NULL, REPEAT(CONCAT('Hand-made item ', seq, ' — quality “guaranteed” 🌍. '), 1 + seq % 10)),
       5 + (seq * 31 % 100000) / 100, IF(seq % 4 = 0, 4 + (seq * 17 % 90000) / 100, NULL),
       CONCAT('SKU', LPAD(seq, 12, '0')), (seq * 3) % 750,
       ${pick('seq', ['active', 'active', 'inactive', 'draft'])},
       IF(seq % 5 = 0, NULL, JSON_OBJECT('colour', ${pick('seq', ['indigo', 'ochre', 'teal', 'black', 'ivory'])},
         'sizes', JSON_ARRAY('S', 'M', 'L', 'XL'), 'weight_g', 100 + seq % 900, 'fragile', seq % 9 = 0)),
       ${minutesFrom('2022-05-01')}, TIMESTAMP('2024-03-01') + INTERVAL seq SECOND
     FROM seq_1_to_${products}`,
    product_images: `INSERT INTO product_images SELECT seq, 1 + (seq - 1) DIV ${size.imagesPerProduct},
       CONCAT('/uploads/product-images/', 1 + (seq - 1) DIV ${size.imagesPerProduct}, '_', (seq - 1) % ${size.imagesPerProduct}, '.jpg'),
       (seq - 1) % ${size.imagesPerProduct} = 0, (seq - 1) % ${size.imagesPerProduct}, ${minutesFrom('2022-05-01')}
     FROM seq_1_to_${images}`,
    reviews: `INSERT INTO reviews SELECT seq, ${spread(31, users)}, seq, 1 + (seq * 7) % 5,
       IF(seq % 3 = 0, NULL, CONCAT(${pick('seq', ['Très bien', 'Loved it', 'Okay-ish', 'Would buy again'])}, ' ', seq, ' ⭐')),
       ${minutesFrom('2023-02-01')}
     FROM seq_1_to_${reviews}`,
    orders: `INSERT INTO orders SELECT seq, ${spread(53, users)}, CONCAT('ORD', LPAD(seq, 17, '0')), (seq * 97 % 5000000) / 100,
       ${pick('seq', ['pending', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded'])},
       IF(seq % 6 = 0, NULL, CONCAT('ref_', LOWER(HEX(seq * 104729)))),
       JSON_OBJECT('street', CONCAT(seq, ' Marina Road'), 'city', ${pick('seq', ['Lagos', 'Abuja', 'Port Harcourt', 'Kumasi'])}, 'country', IF(seq % 4 = 3, 'GH', 'NG')),
       IF(seq % 7 IN (0, 6), NULL, ${minutesFrom('2023-02-01', 'seq + 3')}),
       ${minutesFrom('2023-02-01')}, TIMESTAMP('2024-03-01') + INTERVAL seq SECOND
     FROM seq_1_to_${orders}`,
    order_items: `INSERT INTO order_items SELECT seq, 1 + (seq - 1) DIV ${size.itemsPerOrder}, ${spread(101, products)}, 1 + seq % 5,
       5 + (seq * 29 % 100000) / 100, ${minutesFrom('2023-02-01', `(seq - 1) DIV ${size.itemsPerOrder}`)}
     FROM seq_1_to_${items}`,
  };
}

/** The steps that make the database; the statements within a step are independent of each other. */
export interface ShopLoadPlan {
  /** Each table with its columns and primary key only. */
  create: string[];
  /** The rows of each table, one statement per table, to run with foreign key and unique checks off. */
  load: string[];
  /**
   * The secondary keys and foreign keys of each table, one statement per table. Adding them once the
   * rows are in builds each index in one sorted pass, which more than halves the load time.
   */
  keys: string[];
  /** Fresh statistics, so the migration's row estimates are right. */
  analyze: string;
}

/** Session settings for a load statement: the rows are consistent by construction, checking them would only slow the load. */
export const LOAD_SESSION = 'SET NAMES utf8mb4, FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0';

export function shopLoadPlan(scale: number): ShopLoadPlan {
  const inserts = rows(shopSize(scale));
  return {
    create: TABLES.map((t) => `CREATE TABLE ${t.name} (\n  ${t.columns.join(',\n  ')}\n) ${TABLE_OPTIONS}`),
    load: TABLES.map((t) => inserts[t.name]),
    keys: TABLES.filter((t) => t.keys.length > 0).map((t) => `ALTER TABLE ${t.name} ${t.keys.map((k) => `ADD ${k}`).join(', ')}`),
    analyze: `ANALYZE TABLE ${SHOP_TABLES.join(', ')}`,
  };
}

/** The whole plan as one script for an empty database, statement after statement (each ends with `;` and a newline). */
export function shopDatabaseSql(scale: number): string {
  const plan = shopLoadPlan(scale);
  return [LOAD_SESSION, ...plan.create, ...plan.load, ...plan.keys, 'SET FOREIGN_KEY_CHECKS = 1, UNIQUE_CHECKS = 1', plan.analyze].join(';\n') + ';\n';
}
