-- MarketHub legacy database: the MariaDB schema and sample data of the Express + Sequelize shop.
--
-- Loaded by scripts/seed-mysql.ts into a freshly created database (no USE / CREATE DATABASE here).
-- The loader splits this file on lines holding only `-- @@` and sends each chunk as one query;
-- a chunk may hold several plain statements, but a compound statement (BEGIN ... END) must be
-- alone in its chunk. That is why there is no DELIMITER anywhere.
--
-- Most rows are ordinary shop data. Rows and columns that look wrong are wrong on purpose:
-- each carries a short comment naming the migration case it covers. The legacy_* tables and
-- `select` collect the awkward values that have no natural home in the shop tables.

SET NAMES utf8mb4;
SET time_zone = '+00:00';
-- Strict while loading, so a typo in this file fails loudly. Chunks that need the legacy
-- server's lax behaviour (zero dates, '' enum values, truncated latin1) switch sql_mode locally.
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET FOREIGN_KEY_CHECKS = 1;
-- @@

-- ---------------------------------------------------------------------------------------------
-- Sequelize's migration ledger. Exactly as sequelize-cli creates it: utf8mb3 and a UNIQUE key
-- that duplicates the primary key.
CREATE TABLE `SequelizeMeta` (
  `name` VARCHAR(255) COLLATE utf8mb3_unicode_ci NOT NULL,
  PRIMARY KEY (`name`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_unicode_ci;

INSERT INTO `SequelizeMeta` (`name`) VALUES
  ('20190312101500-create-users.js'),
  ('20190312101600-create-vendors.js'),
  ('20190312101700-create-categories.js'),
  ('20190312101800-create-products.js'),
  ('20190315093000-create-orders.js'),
  ('20190402120000-create-reviews.js'),
  ('20190610084500-create-carts.js'),
  ('20200114163000-create-journals.js'),
  ('20200921110000-create-support-tickets.js'),
  ('20210305140000-add-refresh-tokens.js'),
  ('20210305141500-add-user-sessions.js'),
  ('20220117090000-add-addresses.js'),
  ('20220801100000-add-coupons.js'),
  ('20230412150000-add-products-fulltext.js'),
  ('20240108091500-orders-generated-month.js');
-- @@

-- ---------------------------------------------------------------------------------------------
-- users: default_address_id -> addresses.id and addresses.user_id -> users.id form a cycle, so
-- the users -> addresses constraint is added after addresses exists.
CREATE TABLE `users` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `email` VARCHAR(255) NOT NULL,
  `password_hash` CHAR(60) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'bcrypt; a few md5 hashes from the 2016 import remain',
  `first_name` VARCHAR(100) NOT NULL,
  `last_name` VARCHAR(100) NOT NULL DEFAULT '',
  `display_name` VARCHAR(191) DEFAULT NULL,
  `phone` VARCHAR(32) DEFAULT NULL,
  `role` ENUM('customer','vendor','admin','support') NOT NULL DEFAULT 'customer',
  `avatar` VARCHAR(255) DEFAULT NULL COMMENT 'usually a path under /uploads/user-avatars',
  `birth_date` DATE DEFAULT NULL,
  `is_active` TINYINT(1) NOT NULL DEFAULT 1,
  `email_verified` TINYINT(1) DEFAULT NULL COMMENT 'NULL: account predates e-mail verification',
  `notification_prefs` SET('email','sms','push','newsletter') NOT NULL DEFAULT 'email',
  `facebook_id` BIGINT UNSIGNED DEFAULT NULL,
  `default_address_id` INT UNSIGNED DEFAULT NULL,
  `last_login_at` DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00' COMMENT 'zero date means never logged in',
  `login_count` SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `users_email_unique` (`email`),
  UNIQUE KEY `users_facebook_id_unique` (`facebook_id`),
  KEY `users_name_idx` (`last_name`, `first_name`),
  KEY `users_default_address_id_fk` (`default_address_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Customers, vendor owners and staff';

-- The legacy server ran with sql_mode='' and the old signup form posted '0000-00-00' for an
-- empty birthday, so zero and partial dates are real data here.
SET SESSION sql_mode = '';
SET @pw = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'; -- placeholder bcrypt hash shared by the sample accounts

INSERT INTO `users` (`id`, `email`, `password_hash`, `first_name`, `last_name`, `display_name`, `phone`, `role`, `avatar`, `birth_date`, `is_active`, `email_verified`, `notification_prefs`, `facebook_id`, `last_login_at`, `login_count`, `created_at`, `updated_at`) VALUES
  -- login_count saturated at SMALLINT UNSIGNED max (65535)
  (1, 'camille.dubois@markethub.example', @pw, 'Camille', 'Dubois', 'Camille (admin)', '+33 6 12 34 56 78', 'admin', '/uploads/user-avatars/u1.jpg', '1988-04-12', 1, 1, 'email,push', NULL, '2024-06-21 09:15:22', 65535, '2019-03-12 10:00:00', '2024-06-21 09:15:22'),
  (2, 'jose.alvarez@example.es', @pw, 'José', 'Álvarez', NULL, '+34 612 345 678', 'vendor', '/uploads/user-avatars/u2.png', '1979-11-30', 1, 1, 'email', NULL, '2024-06-18 18:40:02', 233, '2019-04-02 08:31:10', '2024-06-18 18:40:02'),
  (3, 'zoe.mueller@example.de', @pw, 'Zoë', 'Müller', 'Zoë M.', NULL, 'customer', '/uploads/user-avatars/u3.webp', NULL, 1, 1, 'email,sms', NULL, '2024-06-02 07:05:45', 58, '2019-05-20 19:12:00', '2024-06-02 07:05:45'),
  -- birth_date zero date in a nullable column; notification_prefs is the empty set
  (4, 'francois.lefevre@example.fr', @pw, 'François', 'Lefèvre', NULL, '+33 7 98 76 54 32', 'customer', NULL, '0000-00-00', 1, NULL, '', NULL, '2023-12-24 22:10:09', 17, '2019-06-01 12:00:00', '2023-12-24 22:10:09'),
  -- avatar stored as an absolute URL by the first uploader; partial birth date (day 00); never logged in
  (5, 'soren.odegaard@example.dk', @pw, 'Søren', 'Ødegaard', NULL, NULL, 'customer', 'http://localhost:3000/uploads/user-avatars/u5.jpg', '1992-07-00', 1, 1, 'email,newsletter', NULL, '0000-00-00 00:00:00', 0, '2019-07-14 14:22:31', '2019-07-14 14:22:31'),
  (6, 'taro.yamada@example.jp', @pw, '太郎', '山田', '山田太郎', '+81 90-1234-5678', 'vendor', '/uploads/user-avatars/u6.jpg', '1985-02-14', 1, 1, 'email,push', NULL, '2024-06-20 01:44:10', 402, '2019-08-03 03:10:00', '2024-06-20 01:44:10'),
  (7, 'li.na@example.cn', @pw, '娜', '李', NULL, '+86 138 0013 8000', 'vendor', NULL, NULL, 1, 1, 'email', NULL, '2024-06-11 06:30:00', 120, '2019-09-09 09:09:09', '2024-06-11 06:30:00'),
  (8, 'minjun.kim@example.kr', @pw, '민준', '김', NULL, NULL, 'customer', '/uploads/user-avatars/u8.png', '1996-10-03', 1, 1, 'push', NULL, '2024-05-30 11:11:11', 44, '2020-01-15 10:20:30', '2024-05-30 11:11:11'),
  -- emoji in display_name; avatar path with a cache-busting query string
  (9, 'chloe.martin@example.fr', @pw, 'Chloé', 'Martin', 'Chloé 🌸', '+33 6 00 00 00 09', 'customer', '/uploads/user-avatars/u9.gif?v=3', '1999-03-21', 1, 1, 'email,sms,push', NULL, '2024-06-19 20:02:02', 310, '2020-02-29 23:59:59', '2024-06-19 20:02:02'),
  (10, 'alexandros.p@example.gr', @pw, 'Αλέξανδρος', 'Παπαδόπουλος', NULL, '+30 691 234 5678', 'customer', NULL, '1983-08-15', 1, 1, 'email', NULL, '2024-04-04 04:04:04', 12, '2020-03-10 08:00:00', '2024-04-04 04:04:04'),
  (11, 'dmitry.ivanov@example.ru', @pw, 'Дмитрий', 'Иванов', NULL, NULL, 'customer', '/uploads/user-avatars/u11.jpg', '1990-01-01', 1, 0, 'email', NULL, '2024-01-20 13:37:00', 9, '2020-04-01 00:00:01', '2024-01-20 13:37:00'),
  -- right-to-left script
  (12, 'mohammed.alali@example.ae', @pw, 'محمد', 'العلي', 'م. العلي', '+971 50 123 4567', 'customer', NULL, '1987-12-12', 1, 1, 'sms', NULL, '2024-06-07 16:45:00', 27, '2020-05-05 05:05:05', '2024-06-07 16:45:00'),
  (13, 'priya.sharma@example.in', @pw, 'Priya', 'Sharma', NULL, '+91 98765 43210', 'customer', '/uploads/user-avatars/u13.jpeg', '1994-06-30', 1, 1, 'email,push', 10158012345678901, '2024-06-15 10:00:00', 81, '2020-06-18 14:00:00', '2024-06-15 10:00:00'),
  -- combining diacritics: the last letter is o + U+0323 (dot below) + U+0300 (grave)
  (14, 'seun.adebayo@example.ng', @pw, 'Olúwaseun', 'Adébáyọ̀', NULL, NULL, 'customer', NULL, NULL, 1, 1, 'email', 10215551234567890, '2024-03-03 03:03:03', 6, '2020-07-07 07:07:07', '2024-03-03 03:03:03'),
  (15, 'bjorn.angstrom@example.se', @pw, 'Björn', 'Ångström', NULL, '+46 70 123 45 67', 'vendor', '/uploads/user-avatars/u15.png', '1975-05-05', 1, 1, 'email,sms', NULL, '2024-06-12 08:08:08', 150, '2020-08-08 08:08:08', '2024-06-12 08:08:08'),
  (16, 'lukasz.wrobel@example.pl', @pw, 'Łukasz', 'Wróbel', NULL, '+48 601 234 567', 'vendor', '/uploads/user-avatars/u16.jpg', '1991-09-19', 1, 1, 'email', NULL, '2024-06-17 12:12:12', 98, '2020-09-01 09:00:00', '2024-06-17 12:12:12'),
  -- apostrophe in the name
  (17, 'ana.oconnor@example.ie', @pw, 'Ana-María', 'O''Connor', NULL, NULL, 'customer', '/uploads/user-avatars/u17.jpg', '1998-02-28', 1, 1, 'email,newsletter', NULL, '2024-05-01 17:00:00', 22, '2020-10-31 20:00:00', '2024-05-01 17:00:00'),
  -- double quotes in the name and a backslash in display_name
  (18, 'jj@example.com', @pw, 'Jean "JJ"', 'Jacques', 'JJ \\o/', NULL, 'customer', NULL, NULL, 1, NULL, 'email', NULL, '2023-11-11 11:11:11', 3, '2020-11-11 11:11:11', '2023-11-11 11:11:11'),
  (19, 'an.nguyen@example.vn', @pw, 'An', 'Nguyễn Văn', NULL, '+84 91 234 56 78', 'customer', '/uploads/user-avatars/u19.png', '1993-04-30', 1, 1, 'push', NULL, '2024-06-09 02:30:00', 35, '2021-01-02 03:04:05', '2024-06-09 02:30:00'),
  (20, 'aegir.thorsson@example.is', @pw, 'Ægir', 'Þórsson', NULL, NULL, 'customer', NULL, '1989-00-00', 1, 1, 'email', NULL, '2024-02-14 14:14:14', 8, '2021-02-14 14:14:14', '2024-02-14 14:14:14'),
  -- emoji-only first name
  (21, 'unicorn@example.com', @pw, '🦄', 'Unicorn', '🦄✨ Sparkle', NULL, 'customer', '/uploads/user-avatars/u21.png', NULL, 1, 1, 'email,sms,push,newsletter', NULL, '2024-06-21 21:21:21', 210, '2021-03-21 21:21:21', '2024-06-21 21:21:21'),
  (22, 'tomas.nunez@example.mx', @pw, 'Tomás', 'Ñúñez', NULL, '+52 55 1234 5678', 'customer', NULL, '1980-09-16', 1, 1, 'email', NULL, '2024-05-05 05:05:05', 19, '2021-04-01 10:10:10', '2024-05-05 05:05:05'),
  (23, 'helene.cote@example.ca', @pw, 'Hélène', 'Côté', NULL, '+1 514 555 0123', 'customer', '/uploads/user-avatars/u23.jpg', '1977-07-01', 1, 1, 'email,newsletter', NULL, '2024-06-01 12:00:00', 64, '2021-05-15 15:15:15', '2024-06-01 12:00:00'),
  (24, 'mia.schroeder@example.at', @pw, 'Mia', 'Schröder', NULL, NULL, 'customer', NULL, NULL, 1, 1, 'email', NULL, '2024-04-20 20:20:20', 11, '2021-06-06 06:06:06', '2024-04-20 20:20:20'),
  -- md5 hash from the 2016 PHP shop import, never logged in since
  (25, 'emile.zola@example.fr', '5f4dcc3b5aa765d61d8327deb882cf99', 'Émile', 'Zola', NULL, NULL, 'customer', NULL, '0000-00-00', 1, NULL, 'email', NULL, '0000-00-00 00:00:00', 0, '2021-07-01 00:00:00', '2021-07-01 00:00:00'),
  (26, 'ines.garcia@example.es', @pw, 'Inés', 'García', NULL, '+34 699 111 222', 'customer', '/uploads/user-avatars/u26.jpg', '1995-05-25', 1, 1, 'email,push', NULL, '2024-06-14 09:30:00', 40, '2021-08-08 18:18:18', '2024-06-14 09:30:00'),
  -- mixed-case e-mail (the unique key is case-insensitive here); avatar hosted elsewhere
  (27, 'Noah.Smith@Example.COM', @pw, 'Noah', 'Smith', NULL, '+1 212 555 0199', 'customer', 'https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?d=identicon&s=200', '1984-10-10', 1, 1, 'email', 10222333444555666, '2024-06-16 16:16:16', 73, '2021-09-09 09:09:09', '2024-06-16 16:16:16'),
  (28, 'emma.johnson@example.com', @pw, 'Emma', 'Johnson', NULL, NULL, 'customer', '/uploads/user-avatars/u28.png', '2001-01-01', 1, 1, 'email,sms', NULL, '2024-06-10 10:10:10', 28, '2021-10-10 10:10:10', '2024-06-10 10:10:10'),
  (29, 'liam.brown@example.co.uk', @pw, 'Liam', 'Brown', NULL, '+44 7700 900123', 'customer', NULL, '1986-03-17', 1, 1, 'email', NULL, '2024-03-17 17:03:17', 15, '2021-11-30 12:00:00', '2024-03-17 17:03:17'),
  (30, 'sofia.rossi@example.it', @pw, 'Sofia', 'Rossi', NULL, '+39 333 123 4567', 'customer', '/uploads/user-avatars/u30.jpg', '1997-08-08', 1, 1, 'email,push', NULL, '2024-06-19 19:19:19', 51, '2022-01-04 09:00:00', '2024-06-19 19:19:19'),
  (31, 'lucas.petit@atelier-lumiere.example', @pw, 'Lucas', 'Petit', NULL, '+33 4 90 00 00 31', 'vendor', '/uploads/user-avatars/u31.jpg', '1982-12-03', 1, 1, 'email', NULL, '2024-06-20 07:00:00', 520, '2019-04-10 09:00:00', '2024-06-20 07:00:00'),
  (32, 'giulia@bottega-bianchi.example', @pw, 'Giulia', 'Bianchi', NULL, '+39 055 000 0032', 'vendor', '/uploads/user-avatars/u32.png', '1976-06-02', 1, 1, 'email,sms', NULL, '2024-06-18 08:00:00', 388, '2019-05-02 10:00:00', '2024-06-18 08:00:00'),
  (33, 'hans.weiss@weiss-soehne.example', @pw, 'Hans', 'Weiß', NULL, '+49 212 000 0033', 'vendor', NULL, '1961-11-09', 1, 1, 'email', NULL, '2024-06-03 06:00:00', 97, '2019-06-20 11:00:00', '2024-06-03 06:00:00'),
  (34, 'ines.bernard@markethub.example', @pw, 'Inès', 'Bernard', 'Inès (support)', NULL, 'support', '/uploads/user-avatars/u34.jpg', NULL, 1, 1, 'email,push', NULL, '2024-06-21 08:30:00', 1450, '2020-01-06 09:00:00', '2024-06-21 08:30:00'),
  (35, 'kenji.sato@markethub.example', @pw, '健二', '佐藤', 'Kenji (support)', NULL, 'support', NULL, NULL, 1, 1, 'email', NULL, '2024-06-21 00:15:00', 980, '2021-04-12 09:00:00', '2024-06-21 00:15:00'),
  -- deactivated accounts (is_active = 0)
  (36, 'inactive.tester@markethub.example', @pw, 'Test', 'Account', NULL, NULL, 'customer', NULL, NULL, 0, 0, 'email', NULL, '2022-02-02 02:02:02', 2, '2022-02-01 09:00:00', '2022-03-01 09:00:00'),
  (37, 'closed.account@example.org', @pw, 'Closed', 'Account', NULL, NULL, 'customer', NULL, NULL, 0, 1, '', NULL, '2023-01-01 00:00:00', 5, '2022-05-05 09:00:00', '2023-01-02 09:00:00'),
  (38, 'spam.bot.1@example.net', @pw, 'Spam', 'Bot', NULL, NULL, 'customer', NULL, NULL, 1, 0, 'email', NULL, '0000-00-00 00:00:00', 0, '2024-06-01 03:00:00', '2024-06-01 03:00:00'),
  (39, 'spam.bot.2@example.net', @pw, 'Spam', 'Bot', NULL, NULL, 'customer', NULL, NULL, 1, 0, 'email', NULL, '0000-00-00 00:00:00', 0, '2024-06-01 03:00:01', '2024-06-01 03:00:01');

-- Spam sign-ups removed by hand: users AUTO_INCREMENT stays at 40 while MAX(id) is 37.
DELETE FROM `users` WHERE `id` IN (38, 39);
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
-- @@

CREATE TABLE `addresses` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `user_id` INT UNSIGNED NOT NULL,
  `label` VARCHAR(50) NOT NULL DEFAULT 'Home',
  `recipient` VARCHAR(200) NOT NULL,
  `line1` VARCHAR(255) NOT NULL,
  `line2` VARCHAR(255) DEFAULT NULL,
  `city` VARCHAR(100) NOT NULL,
  `postcode` VARCHAR(20) NOT NULL DEFAULT '',
  `country` CHAR(2) NOT NULL DEFAULT 'FR' COMMENT 'ISO 3166-1 alpha-2',
  `latitude` DECIMAL(9,6) DEFAULT NULL,
  `longitude` DECIMAL(9,6) DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  KEY `addresses_user_id_fk` (`user_id`),
  CONSTRAINT `addresses_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Closes the users <-> addresses cycle.
ALTER TABLE `users`
  ADD CONSTRAINT `users_default_address_id_fk` FOREIGN KEY (`default_address_id`) REFERENCES `addresses` (`id`) ON DELETE SET NULL ON UPDATE CASCADE;

INSERT INTO `addresses` (`id`, `user_id`, `label`, `recipient`, `line1`, `line2`, `city`, `postcode`, `country`, `latitude`, `longitude`, `created_at`, `updated_at`) VALUES
  (1, 1, 'Home', 'Camille Dubois', '12 rue des Martyrs', '3e étage, porte gauche', 'Paris', '75009', 'FR', 48.878, 2.3397, '2022-01-17 10:00:00', '2022-01-17 10:00:00'),
  (2, 1, 'Work', 'Camille Dubois — MarketHub', '8 boulevard de Sébastopol', NULL, 'Paris', '75004', 'FR', 48.8597, 2.3497, '2022-01-17 10:05:00', '2022-01-17 10:05:00'),
  (3, 2, 'Tienda', 'José Álvarez', 'Carrer de Cadis 14', 'Bajo', 'València', '46006', 'ES', 39.4623, -0.3735, '2022-01-20 08:00:00', '2022-01-20 08:00:00'),
  (4, 3, 'Home', 'Zoë Müller', 'Oranienstraße 25', 'Hinterhaus, 2. OG', 'Berlin', '10999', 'DE', 52.5017, 13.4188, '2022-02-01 19:00:00', '2022-02-01 19:00:00'),
  (5, 4, 'Maison', 'François Lefèvre', '5 place Bellecour', NULL, 'Lyon', '69002', 'FR', 45.7578, 4.832, '2022-02-03 12:00:00', '2022-02-03 12:00:00'),
  (6, 5, 'Home', 'Søren Ødegaard', 'Nørrebrogade 44', NULL, 'København N', '2200', 'DK', 55.6889, 12.5531, '2022-02-05 14:00:00', '2022-02-05 14:00:00'),
  (7, 6, '店舗', '山田太郎', '千代田区神田神保町1-3', '神保町ビル 2F', '東京都', '101-0051', 'JP', 35.6958, 139.7576, '2022-02-06 03:00:00', '2022-02-06 03:00:00'),
  (8, 8, '집', '김민준', '강남대로 396', NULL, '서울특별시 강남구', '06232', 'KR', 37.4979, 127.0276, '2022-02-10 10:00:00', '2022-02-10 10:00:00'),
  (9, 9, 'Maison', 'Chloé Martin', '27 cours Julien', NULL, 'Marseille', '13006', 'FR', 43.2936, 5.3837, '2022-02-14 20:00:00', '2022-02-14 20:00:00'),
  (10, 9, 'Parents', 'M. et Mme Martin', '3 impasse des Lilas', 'Lieu-dit « Les Oliviers »', 'Aix-en-Provence', '13100', 'FR', NULL, NULL, '2023-12-10 20:00:00', '2023-12-10 20:00:00'),
  (11, 10, 'Home', 'Αλέξανδρος Παπαδόπουλος', 'Ερμού 10', NULL, 'Αθήνα', '105 63', 'GR', 37.9763, 23.7286, '2022-03-01 08:00:00', '2022-03-01 08:00:00'),
  (12, 11, 'Дом', 'Дмитрий Иванов', 'ул. Тверская, д. 7, кв. 12', NULL, 'Москва', '125009', 'RU', 55.7578, 37.6136, '2022-03-02 09:00:00', '2022-03-02 09:00:00'),
  (13, 12, 'Home', 'محمد العلي', 'Sheikh Zayed Rd, Tower 2, Apt 1801', NULL, 'Dubai', '', 'AE', 25.2048, 55.2708, '2022-03-05 16:00:00', '2022-03-05 16:00:00'),
  (14, 13, 'Home', 'Priya Sharma', '221 MG Road', 'Near Trinity Metro', 'Bengaluru', '560001', 'IN', 12.9756, 77.6068, '2022-03-06 10:00:00', '2022-03-06 10:00:00'),
  (15, 14, 'Home', 'Olúwaseun Adébáyọ̀', '14 Admiralty Way', 'Lekki Phase 1', 'Lagos', '106104', 'NG', 6.4474, 3.4723, '2022-03-08 10:00:00', '2022-03-08 10:00:00'),
  (16, 15, 'Verkstad', 'Björn Ångström', 'Strandgatan 3', NULL, 'Visby', '621 56', 'SE', 57.6409, 18.2948, '2022-03-09 10:00:00', '2022-03-09 10:00:00'),
  (17, 16, 'Magazyn', 'Łukasz Wróbel', 'ul. Wielicka 28', 'hala B', 'Kraków', '30-552', 'PL', 50.0333, 19.9608, '2022-03-10 10:00:00', '2022-03-10 10:00:00'),
  (18, 17, 'Home', 'Ana-María O''Connor', '7 Ha''penny Lane', 'Apt. 2', 'Dublin', 'D02 X285', 'IE', 53.3461, -6.2632, '2022-03-12 10:00:00', '2022-03-12 10:00:00'),
  (19, 19, 'Nhà', 'Nguyễn Văn An', '12 Lý Thường Kiệt', 'Phường Hàng Bài', 'Hà Nội', '100000', 'VN', 21.0245, 105.8525, '2022-03-15 10:00:00', '2022-03-15 10:00:00'),
  (20, 20, 'Home', 'Ægir Þórsson', 'Laugavegur 22', NULL, 'Reykjavík', '101', 'IS', 64.1455, -21.9292, '2022-03-16 10:00:00', '2022-03-16 10:00:00'),
  (21, 21, 'Home 🏠', '🦄 Unicorn', '1 Rainbow Road', 'Cloud 9', 'Brighton', 'BN1 1AA', 'GB', 50.8225, -0.1372, '2022-03-21 21:00:00', '2022-03-21 21:00:00'),
  (22, 22, 'Casa', 'Tomás Ñúñez', 'Av. Álvaro Obregón 99', 'Col. Roma Norte', 'Ciudad de México', '06700', 'MX', 19.4194, -99.1621, '2022-04-01 10:00:00', '2022-04-01 10:00:00'),
  (23, 23, 'Maison', 'Hélène Côté', '1234 rue Saint-Denis', 'app. 5', 'Montréal', 'H2X 3K3', 'CA', 45.5152, -73.5658, '2022-04-02 10:00:00', '2022-04-02 10:00:00'),
  (24, 24, 'Home', 'Mia Schröder', 'Mariahilfer Straße 88', 'Top 14', 'Wien', '1070', 'AT', 48.1986, 16.3461, '2022-04-03 10:00:00', '2022-04-03 10:00:00'),
  (25, 26, 'Casa', 'Inés García', 'Calle de Fuencarral 45', '3º B', 'Madrid', '28004', 'ES', 40.4251, -3.7013, '2022-04-04 10:00:00', '2022-04-04 10:00:00'),
  (26, 27, 'Home', 'Noah Smith', '350 5th Ave', 'Suite 4100', 'New York, NY', '10118', 'US', 40.7484, -73.9857, '2022-04-05 10:00:00', '2022-04-05 10:00:00'),
  (27, 28, 'Home', 'Emma Johnson', '221B Baker Street', NULL, 'London', 'NW1 6XE', 'GB', 51.5238, -0.1586, '2022-04-06 10:00:00', '2022-04-06 10:00:00'),
  (28, 29, 'Home', 'Liam Brown', '10 Princes St', NULL, 'Edinburgh', 'EH2 2AN', 'GB', 55.9533, -3.1883, '2022-04-07 10:00:00', '2022-04-07 10:00:00'),
  (29, 30, 'Casa', 'Sofia Rossi', 'Via dei Neri 12', 'int. 4', 'Firenze', '50122', 'IT', 43.7687, 11.2569, '2022-04-08 10:00:00', '2022-04-08 10:00:00'),
  (30, 31, 'Atelier', 'Atelier Lumière — Lucas Petit', '9 rue Joseph Vernet', NULL, 'Avignon', '84000', 'FR', 43.9471, 4.8055, '2022-04-09 10:00:00', '2022-04-09 10:00:00'),
  (31, 32, 'Bottega', 'Bottega Bianchi', 'Via della Vigna Nuova 20r', NULL, 'Firenze', '50123', 'IT', 43.7717, 11.2505, '2022-04-10 10:00:00', '2022-04-10 10:00:00'),
  (32, 33, 'Fabrik', 'Weiß & Söhne GmbH', 'Grünewalder Straße 29', NULL, 'Solingen', '42657', 'DE', 51.1657, 7.0672, '2022-04-11 10:00:00', '2022-04-11 10:00:00'),
  (33, 34, 'Bureau', 'Inès Bernard', '8 boulevard de Sébastopol', NULL, 'Paris', '75004', 'FR', 48.8597, 2.3497, '2022-04-12 10:00:00', '2022-04-12 10:00:00');

-- Default addresses close the cycle. updated_at = updated_at keeps ON UPDATE CURRENT_TIMESTAMP from firing.
UPDATE `users` u JOIN (
  SELECT 1 AS user_id, 1 AS address_id
  UNION ALL SELECT 2, 3
  UNION ALL SELECT 3, 4
  UNION ALL SELECT 4, 5
  UNION ALL SELECT 5, 6
  UNION ALL SELECT 6, 7
  UNION ALL SELECT 8, 8
  UNION ALL SELECT 9, 10
  UNION ALL SELECT 10, 11
  UNION ALL SELECT 11, 12
  UNION ALL SELECT 12, 13
  UNION ALL SELECT 13, 14
  UNION ALL SELECT 14, 15
  UNION ALL SELECT 15, 16
  UNION ALL SELECT 16, 17
  UNION ALL SELECT 17, 18
  UNION ALL SELECT 19, 19
  UNION ALL SELECT 20, 20
  UNION ALL SELECT 21, 21
  UNION ALL SELECT 22, 22
  UNION ALL SELECT 23, 23
  UNION ALL SELECT 24, 24
  UNION ALL SELECT 26, 25
  UNION ALL SELECT 27, 26
  UNION ALL SELECT 28, 27
  UNION ALL SELECT 29, 28
  UNION ALL SELECT 30, 29
  UNION ALL SELECT 31, 30
  UNION ALL SELECT 32, 31
  UNION ALL SELECT 33, 32
  UNION ALL SELECT 34, 33
) d ON d.user_id = u.id
SET u.default_address_id = d.address_id, u.updated_at = u.updated_at;
-- @@

-- ---------------------------------------------------------------------------------------------
CREATE TABLE `vendors` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `owner_id` INT UNSIGNED NOT NULL,
  `name` VARCHAR(150) NOT NULL,
  `slug` VARCHAR(160) NOT NULL,
  `logo` VARCHAR(255) DEFAULT NULL COMMENT 'path under /uploads/vendor-assets',
  `banner` VARCHAR(255) DEFAULT NULL,
  `description` TEXT DEFAULT NULL,
  `commission_rate` DECIMAL(5,4) NOT NULL DEFAULT 0.1500,
  `rating` FLOAT DEFAULT NULL,
  `founded_year` YEAR DEFAULT NULL,
  `is_verified` BIT(1) NOT NULL DEFAULT b'0',
  `payout_iban` VARCHAR(34) DEFAULT NULL,
  `settings` JSON DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `vendors_slug_unique` (`slug`),
  KEY `vendors_owner_id_fk` (`owner_id`),
  CONSTRAINT `vendors_owner_id_fk` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT `vendors_commission_range` CHECK (`commission_rate` >= 0 AND `commission_rate` <= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Shops selling on the marketplace';

INSERT INTO `vendors` (`id`, `owner_id`, `name`, `slug`, `logo`, `banner`, `description`, `commission_rate`, `rating`, `founded_year`, `is_verified`, `payout_iban`, `settings`, `created_at`, `updated_at`) VALUES
  (1, 31, 'Atelier Lumière', 'atelier-lumiere', '/uploads/vendor-assets/atelier-lumiere-logo.png', '/uploads/vendor-assets/atelier-lumiere-banner.jpg', 'Luminaires et linge de maison fabriqués à Avignon.\nLivraison offerte dès 80 €.', 0.1500, 4.7, 2012, b'1', 'FR7630006000011234567890189', '{"currency":"EUR","vacation":false,"shipping":{"free_over":80,"zones":["FR","BE","CH"]}}', '2019-04-10 09:30:00', '2024-05-02 10:00:00'),
  (2, 32, 'Bottega Bianchi', 'bottega-bianchi', '/uploads/vendor-assets/bottega-bianchi-logo.svg', NULL, 'Pelletteria artigianale fiorentina dal 1968.', 0.1200, 4.85, 1968, b'1', 'IT60X0542811101000000123456', '{"currency":"EUR","vacation":false}', '2019-05-02 10:30:00', '2024-01-15 12:00:00'),
  -- founded_year at YEAR's lower bound (1901); rating is a FLOAT with no exact decimal form
  (3, 33, 'Weiß & Söhne Küchenwaren', 'weiss-soehne', '/uploads/vendor-assets/weiss-soehne/logo.png', '/uploads/vendor-assets/weiss-soehne/banner.png', 'Gusseisen, Messer und Töpfe aus Solingen.', 0.1000, 3.3333333, 1901, b'1', 'DE89370400440532013000', '{"currency":"EUR","vacation":true,"vacation_until":"2024-07-15"}', '2019-06-20 11:30:00', '2024-06-01 09:00:00'),
  (4, 6, '東京文具店', 'tokyo-bunguten', '/uploads/vendor-assets/tokyo-bunguten-ロゴ.png', NULL, '東京・神保町の文房具店です。万年筆とノートを中心に取り扱っています。', 0.1500, 4.9, 1995, b'1', NULL, '{"currency":"JPY","display_currency":"EUR","note":"送料無料キャンペーン中"}', '2019-08-03 04:00:00', '2024-03-03 03:00:00'),
  (5, 15, 'Nordic Knit Co.', 'nordic-knit', '/uploads/vendor-assets/nordic-knit-logo.jpg', '/uploads/vendor-assets/nordic-knit-banner.jpg', 'Hand-knitted wool from Gotland sheep.', 0.1500, 4.5, NULL, b'0', 'SE4550000000058398257466', NULL, '2020-08-09 09:00:00', '2023-11-11 11:00:00'),
  (6, 2, 'Café Olé Roasters', 'cafe-ole', '/uploads/vendor-assets/cafe-ole-logo.png', NULL, 'Specialty coffee roasted weekly in Valencia. "Del grano a la taza."', 0.1800, 4.6, 2016, b'1', 'ES9121000418450200051332', '{"currency":"EUR","roast_days":["tue","fri"]}', '2019-04-03 08:00:00', '2024-06-10 08:00:00'),
  (7, 7, 'Green Leaf Tea', 'green-leaf-tea', NULL, NULL, '来自杭州的茶叶 / Teas from Hangzhou.', 0.1500, NULL, 2019, b'0', NULL, '{}', '2019-09-10 10:00:00', '2019-09-10 10:00:00'),
  (8, 16, 'Pixel & Plug Electronics', 'pixel-and-plug', '/uploads/vendor-assets/pixel-and-plug-logo.png', '/uploads/vendor-assets/pixel-and-plug-banner.gif', 'Chargers, cables and audio gear.', 0.0800, 4.1, 2018, b'1', 'PL61109010140000071219812874', '{"currency":"PLN","warehouse":{"city":"Kraków","lead_days":2}}', '2020-09-02 09:00:00', '2024-06-17 12:30:00');
-- @@

-- ---------------------------------------------------------------------------------------------
-- Self-referencing tree; `order` is a reserved word used as a column name (sort order).
CREATE TABLE `categories` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `parent_id` INT UNSIGNED DEFAULT NULL,
  `name` VARCHAR(100) NOT NULL,
  `slug` VARCHAR(120) NOT NULL,
  `order` SMALLINT NOT NULL DEFAULT 0 COMMENT 'sort order among siblings',
  `icon` VARCHAR(64) DEFAULT NULL,
  `is_visible` TINYINT(1) NOT NULL DEFAULT 1,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `categories_slug_unique` (`slug`),
  KEY `categories_parent_order` (`parent_id`, `order`),
  CONSTRAINT `categories_parent_id_fk` FOREIGN KEY (`parent_id`) REFERENCES `categories` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `categories` (`id`, `parent_id`, `name`, `slug`, `order`, `icon`, `is_visible`, `created_at`, `updated_at`) VALUES
  (1, NULL, 'Home & Living', 'home-living', 1, 'sofa', 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (2, NULL, 'Kitchen', 'kitchen', 2, 'chef-hat', 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (3, NULL, 'Fashion', 'fashion', 3, 'shirt', 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (4, NULL, 'Stationery', 'stationery', 4, 'pen', 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (5, NULL, 'Food & Drink', 'food-drink', 5, 'coffee', 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (6, NULL, 'Electronics', 'electronics', 6, 'plug', 1, '2020-09-01 10:00:00', '2020-09-01 10:00:00'),
  (7, 1, 'Lighting', 'lighting', 1, 'lamp', 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (8, 1, 'Textiles', 'textiles', 2, NULL, 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (9, 2, 'Cookware', 'cookware', 1, 'pan', 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (10, 3, 'Bags & Wallets', 'bags-wallets', 1, 'bag', 1, '2019-03-12 10:30:00', '2019-03-12 10:30:00'),
  (11, 3, 'Knitwear', 'knitwear', 2, NULL, 1, '2020-08-09 09:00:00', '2020-08-09 09:00:00'),
  (12, 4, 'Notebooks & Pens', 'notebooks-pens', 1, 'notebook', 1, '2019-08-03 04:00:00', '2019-08-03 04:00:00'),
  (13, 5, 'Coffee', 'coffee', 1, 'coffee-bean', 1, '2019-04-03 08:00:00', '2019-04-03 08:00:00'),
  (14, 5, 'Tea', 'tea', 2, 'leaf', 1, '2019-09-10 10:00:00', '2019-09-10 10:00:00'),
  (15, 6, 'Audio', 'audio', 1, 'headphones', 1, '2020-09-01 10:00:00', '2020-09-01 10:00:00'),
  (16, 6, 'Cables & Chargers', 'cables-chargers', 2, 'cable', 1, '2020-09-01 10:00:00', '2020-09-01 10:00:00'),
  -- third level; negative sort order puts it first
  (17, 13, 'Pour-over', 'pour-over', -1, NULL, 1, '2021-02-02 10:00:00', '2021-02-02 10:00:00'),
  (18, 3, 'Seasonal sale 2019', 'sale-2019', 99, NULL, 0, '2019-11-20 10:00:00', '2020-01-10 10:00:00');
-- @@

-- ---------------------------------------------------------------------------------------------
-- is_featured is a TINYINT(1) that the admin UI later reused as a level: 2 = hero banner,
-- -1 = hidden from listings. A boolean mapping would lose those values.
CREATE TABLE `products` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `vendor_id` INT UNSIGNED NOT NULL,
  `category_id` INT UNSIGNED DEFAULT NULL,
  `sku` VARCHAR(64) NOT NULL,
  `name` VARCHAR(255) NOT NULL,
  `slug` VARCHAR(255) NOT NULL,
  `description` TEXT DEFAULT NULL,
  `price` DECIMAL(10,2) NOT NULL DEFAULT 0.00,
  `compare_at_price` DECIMAL(10,2) DEFAULT NULL,
  `currency` CHAR(3) NOT NULL DEFAULT 'EUR',
  `stock` MEDIUMINT NOT NULL DEFAULT 0 COMMENT 'negative when oversold',
  `weight_grams` SMALLINT UNSIGNED DEFAULT NULL,
  `is_featured` TINYINT(1) NOT NULL DEFAULT 0 COMMENT '0 no, 1 featured, 2 hero banner, -1 hidden',
  `is_published` TINYINT(1) NOT NULL DEFAULT 1,
  `attributes` JSON DEFAULT NULL,
  `average_rating` DOUBLE DEFAULT NULL,
  `view_count` INT UNSIGNED NOT NULL DEFAULT 0,
  `deleted_at` DATETIME DEFAULT NULL COMMENT 'Sequelize paranoid soft delete',
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `products_sku_unique` (`sku`),
  UNIQUE KEY `products_slug_unique` (`slug`),
  KEY `products_vendor_id_fk` (`vendor_id`),
  KEY `products_category_price` (`category_id`, `price`),
  KEY `products_description_prefix` (`description`(50)),
  FULLTEXT KEY `products_search` (`name`, `description`),
  CONSTRAINT `products_vendor_id_fk` FOREIGN KEY (`vendor_id`) REFERENCES `vendors` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `products_category_id_fk` FOREIGN KEY (`category_id`) REFERENCES `categories` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT `products_price_non_negative` CHECK (`price` >= 0),
  CONSTRAINT `products_compare_at_price` CHECK (`compare_at_price` IS NULL OR `compare_at_price` >= `price`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `products` (`id`, `vendor_id`, `category_id`, `sku`, `name`, `slug`, `description`, `price`, `compare_at_price`, `currency`, `stock`, `weight_grams`, `is_featured`, `is_published`, `attributes`, `average_rating`, `view_count`, `deleted_at`, `created_at`, `updated_at`) VALUES
  (1, 1, 7, 'AL-LAMP-001', 'Lampe de chevet « Lune »', 'lampe-de-chevet-lune', '<p>Pied en grès tourné à la main, abat-jour en lin lavé.</p>\n<p><img src="/uploads/product-images/p1-1.jpg" alt="Détail du pied"></p>\n<ul><li>Hauteur : 42 cm</li><li>Ampoule E14 (non fournie)</li></ul>', 89.00, 109.00, 'EUR', 34, 1200, 1, 1, '{"color":"ivoire","material":"grès","dimensions":{"h":42,"d":25,"unit":"cm"},"bulb":"E14"}', 3, 48211, NULL, '2019-04-12 10:00:00', '2019-05-11 10:00:00'),
  (2, 1, 7, 'AL-LAMP-002', 'Suspension en rotin', 'suspension-en-rotin', 'Tressée à Madagascar. Diamètre 45 cm.', 149.00, NULL, 'EUR', 12, 900, 0, 1, '{"material":"rotin","diameter_cm":45}', 5, 20110, NULL, '2019-04-12 10:10:00', '2019-09-26 10:10:00'),
  (3, 1, 1, 'AL-CAND-003', 'Bougie parfumée Figue & Cèdre', 'bougie-figue-cedre', 'Cire de soja, mèche en coton, 45 h de combustion.', 24.50, NULL, 'EUR', 210, 350, 0, 1, '{"scent":["figue","cèdre"],"burn_hours":45}', 4, 15400, NULL, '2019-05-01 09:00:00', '2019-09-08 09:00:00'),
  (4, 1, 8, 'AL-TEXT-004', 'Plaid en lin lavé', 'plaid-lin-lave', 'Lin européen lavé à la pierre. 130 × 170 cm.', 79.90, NULL, 'EUR', 0, 1100, 0, 1, '{"color":"terracotta","material":"lin","dimensions":{"w":130,"h":170,"unit":"cm"}}', NULL, 9800, NULL, '2019-09-01 09:00:00', '2020-05-14 09:00:00'),
  (5, 1, 8, 'AL-TEXT-005', 'Coussin brodé Provence', 'coussin-brode-provence', 'Brodé main, housse amovible.\nLavable à 30 °C.', 39.00, NULL, 'EUR', 58, 400, 0, 1, NULL, 5, 7200, NULL, '2020-03-01 09:00:00', '2020-11-26 09:00:00'),
  -- oversold: stock is negative
  (6, 1, 7, 'AL-LAMP-006', 'Guirlande lumineuse 10 m', 'guirlande-lumineuse-10m', 'Guirlande guinguette, 20 ampoules LED, usage extérieur (IP44).', 29.99, 34.99, 'EUR', -3, 800, 1, 1, '{"length_m":10,"bulbs":20,"ip":"IP44"}', NULL, 30120, NULL, '2020-05-15 09:00:00', '2020-09-11 09:00:00'),
  (7, 1, 1, 'AL-VASE-007', 'Vase en grès émaillé', 'vase-gres-emaille', 'Émail « bleu de Moustiers ». Pièce unique : les coulures varient.', 54.00, NULL, 'EUR', 8, 1500, 0, 1, '{"glaze":"bleu de Moustiers","unique":true}', 1, 6400, NULL, '2020-06-01 09:00:00', '2021-03-24 09:00:00'),
  -- is_featured = 2: hero banner
  (8, 2, 10, 'BB-BAG-001', 'Borsa a tracolla in pelle', 'borsa-a-tracolla', 'Pelle conciata al vegetale, cuciture a mano.\n\n"La borsa che dura una vita."', 245.00, 290.00, 'EUR', 15, 850, 2, 1, '{"color":"cuoio","material":"pelle","dimensions":{"w":28,"h":20,"d":8,"unit":"cm"}}', 4.333333333333333, 88410, NULL, '2019-05-03 10:00:00', '2019-11-13 10:00:00'),
  (9, 2, 10, 'BB-WAL-002', 'Portafoglio uomo', 'portafoglio-uomo', 'Otto scomparti per carte, portamonete con bottone.', 89.00, NULL, 'EUR', 40, 120, 0, 1, '{"color":"nero"}', NULL, 12000, NULL, '2019-05-03 10:10:00', '2020-03-23 10:10:00'),
  (10, 2, 10, 'BB-BELT-003', 'Cintura intrecciata', 'cintura-intrecciata', 'Taglie 85–110 cm.', 65.00, NULL, 'EUR', 22, 200, 0, 1, '{"sizes":[85,90,95,100,105,110]}', NULL, 5400, NULL, '2019-06-01 10:00:00', '2020-02-16 10:00:00'),
  (11, 2, 10, 'BB-BAG-004', 'Zaino "Viaggio" 20L', 'zaino-viaggio-20l', 'Zaino da viaggio in pelle e tela cerata, 20 litri.', 310.00, NULL, 'EUR', 5, 1300, 1, 1, '{"volume_l":20,"material":["pelle","tela cerata"]}', 5, 21000, NULL, '2020-02-10 10:00:00', '2020-03-17 10:00:00'),
  (12, 2, 10, 'BB-KEY-005', 'Portachiavi', 'portachiavi', 'Ritagli di pelle, nulla si butta.', 19.00, NULL, 'EUR', 300, 30, 0, 1, NULL, 5, 3100, NULL, '2020-02-10 10:10:00', '2021-01-13 10:10:00'),
  -- soft-deleted (paranoid)
  (13, 2, 10, 'BB-CARD-006', 'Porta carte di credito', 'porta-carte', 'Sostituito dal modello 2023.', 45.00, NULL, 'EUR', 0, 50, 0, 0, '{"color":"blu"}', NULL, 2500, '2023-01-15 10:00:00', '2020-04-01 10:00:00', '2023-01-15 10:00:00'),
  (14, 3, 9, 'WS-PAN-001', 'Gusseisenpfanne 28 cm', 'gusseisenpfanne-28', 'Vorgeölt, für alle Herdarten inkl. Induktion.\nNicht spülmaschinengeeignet!', 119.00, NULL, 'EUR', 25, 3400, 0, 1, '{"diameter_cm":28,"induction":true,"dishwasher":false}', NULL, 18800, NULL, '2019-06-21 10:00:00', '2019-12-31 10:00:00'),
  (15, 3, 9, 'WS-KNF-002', 'Kochmesser 20 cm, Damaszener Stahl', 'kochmesser-damast-20', '67 Lagen Damast, Griff aus Olivenholz. Härte 60±2 HRC.', 189.00, NULL, 'EUR', 14, 280, 1, 1, '{"blade_cm":20,"layers":67,"hrc":"60±2"}', 5, 30500, NULL, '2019-06-21 10:10:00', '2020-07-08 10:10:00'),
  (16, 3, 9, 'WS-POT-003', 'Schmortopf 5,2 l', 'schmortopf-5-2l', 'Emaillierter Gusseisen-Bräter.', 229.00, 259.00, 'EUR', 9, 5600, 0, 1, '{"volume_l":5.2,"color":"kirschrot"}', NULL, 11200, NULL, '2019-07-01 10:00:00', '2019-09-07 10:00:00'),
  (17, 3, 9, 'WS-BRD-004', 'Schneidebrett aus Nussbaum', 'schneidebrett-nussbaum', 'Stirnholz, 40 × 30 × 4 cm.', 69.00, NULL, 'EUR', 31, 2900, 0, 1, '{"wood":"Nussbaum","dimensions":{"w":40,"d":30,"h":4,"unit":"cm"}}', 2, 7600, NULL, '2020-01-10 10:00:00', '2020-12-31 10:00:00'),
  -- no description
  (18, 3, 9, 'WS-WHK-005', 'Schneebesen', 'schneebesen', NULL, 12.90, NULL, 'EUR', 120, 90, 0, 1, NULL, 4, 1900, NULL, '2020-01-10 10:10:00', '2020-05-17 10:10:00'),
  (19, 3, 9, 'WS-SCL-006', 'Küchenwaage (digital)', 'kuechenwaage-digital', 'Bis 5 kg, Auflösung 1 g. Batterien: 2× AAA.', 34.95, NULL, 'EUR', 44, 650, 0, 1, '{"max_g":5000,"resolution_g":1}', 4, 4300, NULL, '2021-03-01 10:00:00', '2021-12-25 10:00:00'),
  (20, 4, 12, 'TB-NOTE-001', '方眼ノート A5', 'hogan-note-a5', '5mm方眼、巴川紙、96ページ。', 8.50, NULL, 'EUR', 500, 250, 0, 1, '{"size":"A5","grid_mm":5,"pages":96}', NULL, 14500, NULL, '2019-08-04 04:00:00', '2020-01-05 04:00:00'),
  (21, 4, 12, 'TB-PEN-002', '万年筆 細字', 'mannenhitsu-hosoji', '14金ペン先、細字（F）。コンバーター付き。', 120.00, NULL, 'EUR', 18, 30, 1, 1, '{"nib":"F","nib_material":"14K","converter":true}', 4.5, 26700, NULL, '2019-08-04 04:10:00', '2019-10-12 04:10:00'),
  (22, 4, 12, 'TB-INK-003', 'インク 色彩雫 月夜', 'ink-tsuki-yo', '50ml瓶。', 22.00, NULL, 'EUR', 64, 180, 0, 1, '{"volume_ml":50,"colour":"月夜"}', 4, 8800, NULL, '2019-10-01 04:00:00', '2020-08-19 04:00:00'),
  (23, 4, 12, 'TB-WASH-004', 'マスキングテープ 10巻セット', 'masking-tape-10', '15mm × 10m、10柄。', 15.00, NULL, 'EUR', 150, 200, 0, 1, NULL, NULL, 9900, NULL, '2020-04-01 04:00:00', '2020-08-10 04:00:00'),
  (24, 4, 12, 'TB-NOTE-005', 'Hobonichi-style planner 2024', 'planner-2024', 'One page per day, Tomoe River paper.', 32.00, NULL, 'EUR', 0, 400, 0, 1, '{"year":2024,"paper":"Tomoe River"}', NULL, 17200, NULL, '2023-09-01 04:00:00', '2024-06-21 00:00:00'),
  -- average_rating is stale (the nightly recompute stopped in 2023)
  (25, 4, 12, 'TB-ERAS-006', '消しゴム', 'keshigomu', 'MONO PE-04。', 1.20, NULL, 'EUR', 2000, 20, 0, 1, NULL, 4.75, 900, NULL, '2019-08-04 04:20:00', '2020-08-02 04:20:00'),
  (26, 5, 11, 'NK-SWT-001', 'Islandsk ullgenser', 'islandsk-ullgenser', 'Strikket for hånd av lett lopi-ull.\nStørrelser: S–XL.', 159.00, NULL, 'EUR', 7, 700, 1, 1, '{"sizes":["S","M","L","XL"],"wool":"lopi"}', 4.5, 19500, NULL, '2020-08-10 09:00:00', '2020-09-09 09:00:00'),
  (27, 5, 11, 'NK-HAT-002', 'Lue med dusk', 'lue-med-dusk', 'Merinoull, dusk av resirkulert garn.', 35.00, NULL, 'EUR', 40, 90, 0, 1, '{"size":"one size"}', 3.5, 6100, NULL, '2020-08-10 09:10:00', '2021-04-27 09:10:00'),
  (28, 5, 11, 'NK-SCF-003', 'Skjerf i merinoull', 'skjerf-merinoull', '180 × 30 cm.', 59.00, NULL, 'EUR', 25, 200, 0, 1, NULL, 2, 5200, NULL, '2020-09-01 09:00:00', '2021-05-27 09:00:00'),
  (29, 5, 11, 'NK-MIT-004', 'Votter, mønstret', 'votter-monstret', 'Tradisjonelt Selbu-mønster.', 42.00, NULL, 'EUR', 30, 110, 0, 1, '{"pattern":"Selbu"}', NULL, 4700, NULL, '2020-10-01 09:00:00', '2021-07-30 09:00:00'),
  -- is_featured = -1: hidden from listings
  (30, 5, 11, 'NK-SOCK-005', 'Ullsokker 3-pk', 'ullsokker-3pk', 'Tre par, str. 36–46.', 29.00, NULL, 'EUR', 90, 240, -1, 1, '{"pack":3}', NULL, 8300, NULL, '2021-01-10 09:00:00', '2021-12-28 09:00:00'),
  (31, 6, 13, 'CO-BEAN-001', 'Ethiopia Yirgacheffe 250 g', 'ethiopia-yirgacheffe-250', 'Washed. Notes of jasmine, bergamot and lemon.', 14.90, NULL, 'EUR', 120, 250, 0, 1, '{"roast":"light","notes":["jasmine","bergamot","lemon"],"origin":{"country":"ET","region":"Yirgacheffe","altitude_m":2000}}', 5, 22300, NULL, '2019-04-03 09:00:00', '2019-06-09 09:00:00'),
  (32, 6, 13, 'CO-BEAN-002', 'Colombia Huila 1 kg', 'colombia-huila-1kg', 'Chocolate, red apple, panela.', 44.00, NULL, 'EUR', 35, 1000, 0, 1, '{"roast":"medium","notes":["chocolate","red apple","panela"],"origin":{"country":"CO","region":"Huila"}}', 5, 13100, NULL, '2019-04-03 09:10:00', '2019-11-12 09:10:00'),
  (33, 6, 13, 'CO-BEAN-003', 'Décaféiné Swiss Water 250 g', 'decafeine-swiss-water-250', 'Décaféiné sans solvant. Notes : cacao, noisette.', 15.50, NULL, 'EUR', 60, 250, 0, 1, '{"roast":"medium","decaf":true}', NULL, 4200, NULL, '2020-11-01 09:00:00', '2021-05-08 09:00:00'),
  (34, 6, 17, 'CO-V60-004', 'Pour-over dripper (ceramic)', 'pour-over-dripper-ceramic', 'Size 02. Fits standard cone filters.', 27.00, NULL, 'EUR', 48, 420, 0, 1, '{"size":"02","material":"ceramic"}', NULL, 9700, NULL, '2021-02-02 09:00:00', '2022-01-03 09:00:00'),
  (35, 6, 17, 'CO-FILT-005', 'Paper filters ×100', 'paper-filters-100', 'Unbleached, size 02.', 6.50, NULL, 'EUR', 900, 150, 0, 1, '{"count":100}', NULL, 6600, NULL, '2021-02-02 09:10:00', '2021-03-20 09:10:00'),
  -- is_featured = 2
  (36, 6, 13, 'CO-GRND-006', 'Hand grinder — conical burr', 'hand-grinder-conical-burr', 'Stainless conical burrs, 40 clicks per turn.\n<img src="/uploads/product-images/p36-1.jpg">', 89.00, 99.00, 'EUR', 20, 640, 2, 1, '{"burr":"conical","clicks_per_turn":40}', 2, 27800, NULL, '2021-06-01 09:00:00', '2021-09-07 09:00:00'),
  (37, 7, 14, 'GL-TEA-001', '龙井 Longjing green tea 100 g', 'longjing-green-tea-100g', '明前龙井，西湖产区。Pre-Qingming harvest.', 18.00, NULL, 'EUR', 80, 100, 0, 1, '{"origin":"杭州","harvest":"明前","weight_g":100}', NULL, 7300, NULL, '2019-09-11 10:00:00', '2019-09-21 10:00:00'),
  (38, 7, 14, 'GL-TEA-002', 'Earl Grey Supreme', 'earl-grey-supreme', 'Black tea with bergamot and cornflower petals.', 12.00, NULL, 'EUR', 140, 100, 0, 1, NULL, 3.6666666666666665, 9100, NULL, '2019-09-11 10:10:00', '2020-05-24 10:10:00'),
  (39, 7, 14, 'GL-TEA-003', 'Matcha 抹茶 ceremonial 30 g', 'matcha-ceremonial-30g', 'Stone-ground, Uji. 宇治抹茶。', 29.00, NULL, 'EUR', 45, 30, 1, 1, '{"grade":"ceremonial","origin":"宇治"}', 5, 16400, NULL, '2020-03-03 10:00:00', '2021-03-26 10:00:00'),
  (40, 7, 14, 'GL-POT-004', 'Yixing clay teapot', 'yixing-clay-teapot', '紫砂壶, 200 ml. Hand-made; every piece differs.', 75.00, NULL, 'EUR', 6, 300, 0, 1, '{"volume_ml":200,"clay":"紫砂"}', 2, 5100, NULL, '2020-03-03 10:10:00', '2020-11-08 10:10:00'),
  -- price 0.00: lower edge of the price CHECK
  (41, 7, 14, 'GL-TEA-005', 'Free sample: tea of the month', 'free-sample-tea', 'One sample per order.', 0.00, NULL, 'EUR', 500, 10, 0, 1, NULL, NULL, 2200, NULL, '2022-01-01 10:00:00', '2022-10-21 10:00:00'),
  (42, 8, 15, 'PP-HP-001', 'Wireless headphones ANC', 'wireless-headphones-anc', 'Active noise cancelling, 30 h battery, USB-C.\n\nIn the box: headphones, cable, case.', 199.00, 249.00, 'EUR', 27, 260, 1, 1, '{"battery_h":30,"anc":true,"codecs":["SBC","AAC","LDAC"]}', 2.5, 61200, NULL, '2020-09-02 09:00:00', '2021-03-11 09:00:00'),
  (43, 8, 15, 'PP-SPK-002', 'Bluetooth speaker (waterproof)', 'bluetooth-speaker-waterproof', 'IP67, 12 h battery.', 59.99, NULL, 'EUR', 50, 540, 0, 1, '{"ip":"IP67","battery_h":12}', 4, 18800, NULL, '2020-09-02 09:10:00', '2021-09-27 09:10:00'),
  -- drop-shipped: stock at MEDIUMINT max; view_count saturated at INT UNSIGNED max by a bot
  (44, 8, 16, 'PP-CBL-003', 'USB-C cable 2 m, 100 W', 'usb-c-cable-2m-100w', 'USB 2.0 data, 100 W PD (5 A e-marker).', 12.99, NULL, 'EUR', 8388607, 60, 0, 1, '{"length_m":2,"watts":100}', NULL, 4294967295, NULL, '2020-09-02 09:20:00', '2021-09-23 09:20:00'),
  (45, 8, 16, 'PP-CHG-004', 'GaN charger 65 W', 'gan-charger-65w', '2× USB-C, 1× USB-A. EU plug.', 39.00, NULL, 'EUR', 70, 120, 0, 1, '{"ports":{"usb_c":2,"usb_a":1},"watts":65,"電源":"AC 100–240 V"}', 4.666666666666667, 14100, NULL, '2021-05-05 09:00:00', '2021-07-03 09:00:00'),
  (46, 8, 15, 'PP-EAR-005', 'Earbuds', 'earbuds', 'True wireless, 6 h + 24 h with case.', 79.00, NULL, 'EUR', 33, 50, 0, 1, NULL, 5, 12300, NULL, '2022-02-02 09:00:00', '2022-08-04 09:00:00'),
  -- unpublished draft with no images
  (47, 8, 16, 'PP-HUB-006', 'USB-C hub 7-in-1', 'usb-c-hub-7in1', 'HDMI 4K60, 2× USB-A, SD, microSD, PD 100 W, Ethernet.', 49.00, NULL, 'EUR', 0, 110, 0, 0, '{"ports":7}', NULL, 0, NULL, '2024-06-15 09:00:00', '2024-06-21 00:00:00'),
  -- soft-deleted (paranoid)
  (48, 8, 16, 'PP-ADP-007', 'Travel adapter', 'travel-adapter', 'EU/UK/US/AU.', 19.99, NULL, 'EUR', 12, 150, 0, 1, NULL, 4, 3300, '2024-02-01 00:00:00', '2021-07-07 09:00:00', '2024-02-01 00:00:00'),
  (49, 1, 1, 'AL-MIRR-008', 'Miroir soleil doré', 'miroir-soleil-dore', 'Métal doré à la feuille, Ø 60 cm.', 129.00, NULL, 'EUR', 4, 2100, 1, 1, '{"diameter_cm":60,"finish":"feuille d''or"}', 3.5, 11100, NULL, '2023-03-01 09:00:00', '2023-08-24 09:00:00'),
  -- weight_grams at SMALLINT UNSIGNED max (the real pot is heavier)
  (50, 3, 9, 'WS-POT-007', 'Gastro-Kochtopf 100 l', 'gastro-kochtopf-100l', 'Für Großküchen. Lieferung per Spedition.', 899.00, NULL, 'EUR', 2, 65535, 0, 1, '{"volume_l":100}', NULL, 800, NULL, '2022-10-10 10:00:00', '2022-12-11 10:00:00');
-- @@

CREATE TABLE `product_images` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `product_id` INT UNSIGNED NOT NULL,
  `url` VARCHAR(255) NOT NULL COMMENT 'path under /uploads/product-images',
  `alt` VARCHAR(255) NOT NULL DEFAULT '',
  `order` TINYINT UNSIGNED NOT NULL DEFAULT 0,
  `width` SMALLINT UNSIGNED DEFAULT NULL,
  `height` SMALLINT UNSIGNED DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `product_images_product_order` (`product_id`, `order`),
  CONSTRAINT `product_images_product_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `product_images` (`id`, `product_id`, `url`, `alt`, `order`, `width`, `height`, `created_at`, `updated_at`) VALUES
  (1, 1, '/uploads/product-images/p1-0.jpg', 'Lampe de chevet « Lune »', 0, NULL, NULL, '2019-04-12 10:05:00', '2019-04-12 10:05:00'),
  (2, 1, '/uploads/product-images/p1-1.jpg', 'Lampe de chevet « Lune » (2)', 1, NULL, NULL, '2019-04-12 10:06:00', '2019-04-12 10:06:00'),
  (3, 2, '/uploads/product-images/p2-0.jpg', 'Suspension en rotin', 0, NULL, NULL, '2019-04-12 10:15:00', '2019-04-12 10:15:00'),
  (4, 2, '/uploads/product-images/p2-1.jpg', 'Suspension en rotin (2)', 1, NULL, NULL, '2019-04-12 10:16:00', '2019-04-12 10:16:00'),
  (5, 2, '/uploads/product-images/p2-2.jpg', 'Suspension en rotin (3)', 2, NULL, NULL, '2019-04-12 10:17:00', '2019-04-12 10:17:00'),
  (6, 3, '/uploads/product-images/p3-0.jpg', 'Bougie parfumée Figue & Cèdre', 0, NULL, NULL, '2019-05-01 09:05:00', '2019-05-01 09:05:00'),
  -- no leading slash
  (7, 4, 'uploads/product-images/p4-0.jpg', 'Plaid en lin lavé', 0, NULL, NULL, '2019-09-01 09:05:00', '2019-09-01 09:05:00'),
  (8, 4, '/uploads/product-images/p4-1.jpg', 'Plaid en lin lavé (2)', 1, NULL, NULL, '2019-09-01 09:06:00', '2019-09-01 09:06:00'),
  (9, 5, '/uploads/product-images/p5-0.jpg', 'Coussin brodé Provence', 0, NULL, NULL, '2020-03-01 09:05:00', '2020-03-01 09:05:00'),
  (10, 5, '/uploads/product-images/p5-1.jpg', 'Coussin brodé Provence (2)', 1, NULL, NULL, '2020-03-01 09:06:00', '2020-03-01 09:06:00'),
  (11, 5, '/uploads/product-images/p5-2.jpg', 'Coussin brodé Provence (3)', 2, NULL, NULL, '2020-03-01 09:07:00', '2020-03-01 09:07:00'),
  (12, 6, '/uploads/product-images/p6-0.jpg', 'Guirlande lumineuse 10 m', 0, NULL, NULL, '2020-05-15 09:05:00', '2020-05-15 09:05:00'),
  (13, 7, '/uploads/product-images/p7-0.png', 'Vase en grès émaillé', 0, NULL, NULL, '2020-06-01 09:05:00', '2020-06-01 09:05:00'),
  (14, 7, '/uploads/product-images/p7-1.png', 'Vase en grès émaillé (2)', 1, NULL, NULL, '2020-06-01 09:06:00', '2020-06-01 09:06:00'),
  (15, 8, '/uploads/product-images/p8-0.jpg', 'Borsa a tracolla in pelle', 0, NULL, NULL, '2019-05-03 10:05:00', '2019-05-03 10:05:00'),
  (16, 8, '/uploads/product-images/p8-1.jpg', 'Borsa a tracolla in pelle (2)', 1, NULL, NULL, '2019-05-03 10:06:00', '2019-05-03 10:06:00'),
  (17, 8, '/uploads/product-images/p8-2.jpg', 'Borsa a tracolla in pelle (3)', 2, NULL, NULL, '2019-05-03 10:07:00', '2019-05-03 10:07:00'),
  (18, 8, '/uploads/product-images/p8-3.jpg', 'Borsa a tracolla in pelle (4)', 3, NULL, NULL, '2019-05-03 10:08:00', '2019-05-03 10:08:00'),
  (19, 8, '/uploads/product-images/p8-4.jpg', 'Borsa a tracolla in pelle (5)', 4, NULL, NULL, '2019-05-03 10:09:00', '2019-05-03 10:09:00'),
  (20, 9, '/uploads/product-images/p9-0.jpg', 'Portafoglio uomo', 0, NULL, NULL, '2019-05-03 10:15:00', '2019-05-03 10:15:00'),
  (21, 10, '/uploads/product-images/p10-0.jpg', 'Cintura intrecciata', 0, 1200, 1200, '2019-06-01 10:05:00', '2019-06-01 10:05:00'),
  (22, 10, '/uploads/product-images/p10-1.jpg', 'Cintura intrecciata (2)', 1, 1600, 1067, '2019-06-01 10:06:00', '2019-06-01 10:06:00'),
  (23, 11, '/uploads/product-images/p11-0.webp', 'Zaino "Viaggio" 20L', 0, 1200, 1200, '2020-02-10 10:05:00', '2020-02-10 10:05:00'),
  (24, 11, '/uploads/product-images/p11-1.webp', 'Zaino "Viaggio" 20L (2)', 1, 1600, 1067, '2020-02-10 10:06:00', '2020-02-10 10:06:00'),
  (25, 11, '/uploads/product-images/p11-2.webp', 'Zaino "Viaggio" 20L (3)', 2, 1600, 1067, '2020-02-10 10:07:00', '2020-02-10 10:07:00'),
  (26, 12, '/uploads/product-images/p12-0.jpg', 'Portachiavi', 0, 1200, 1200, '2020-02-10 10:15:00', '2020-02-10 10:15:00'),
  -- space and upper-case extension
  (27, 12, '/uploads/product-images/p12-1 copy.JPG', 'Portachiavi (2)', 1, 1600, 1067, '2020-02-10 10:16:00', '2020-02-10 10:16:00'),
  (28, 13, '/uploads/product-images/p13-0.jpg', 'Porta carte di credito', 0, 1200, 1200, '2020-04-01 10:05:00', '2020-04-01 10:05:00'),
  (29, 13, '/uploads/product-images/p13-1.jpg', 'Porta carte di credito (2)', 1, 1600, 1067, '2020-04-01 10:06:00', '2020-04-01 10:06:00'),
  (30, 14, '/uploads/product-images/p14-0.png', 'Gusseisenpfanne 28 cm', 0, 1200, 1200, '2019-06-21 10:05:00', '2019-06-21 10:05:00'),
  (31, 14, '/uploads/product-images/p14-1.png', 'Gusseisenpfanne 28 cm (2)', 1, 1600, 1067, '2019-06-21 10:06:00', '2019-06-21 10:06:00'),
  (32, 14, '/uploads/product-images/p14-2.png', 'Gusseisenpfanne 28 cm (3)', 2, 1600, 1067, '2019-06-21 10:07:00', '2019-06-21 10:07:00'),
  (33, 15, '/uploads/product-images/p15-0.jpg', 'Kochmesser 20 cm, Damaszener Stahl', 0, 1200, 1200, '2019-06-21 10:15:00', '2019-06-21 10:15:00'),
  (34, 16, '/uploads/product-images/p16-0.jpg', 'Schmortopf 5,2 l', 0, 1200, 1200, '2019-07-01 10:05:00', '2019-07-01 10:05:00'),
  (35, 16, '/uploads/product-images/p16-1.jpg', 'Schmortopf 5,2 l (2)', 1, 1600, 1067, '2019-07-01 10:06:00', '2019-07-01 10:06:00'),
  (36, 17, '/uploads/product-images/p17-0.jpg', 'Schneidebrett aus Nussbaum', 0, 1200, 1200, '2020-01-10 10:05:00', '2020-01-10 10:05:00'),
  (37, 17, '/uploads/product-images/p17-1.jpg', 'Schneidebrett aus Nussbaum (2)', 1, 1600, 1067, '2020-01-10 10:06:00', '2020-01-10 10:06:00'),
  (38, 17, '/uploads/product-images/p17-2.jpg', 'Schneidebrett aus Nussbaum (3)', 2, 1600, 1067, '2020-01-10 10:07:00', '2020-01-10 10:07:00'),
  (39, 18, '/uploads/product-images/p18-0.jpg', 'Schneebesen', 0, 1200, 1200, '2020-01-10 10:15:00', '2020-01-10 10:15:00'),
  (40, 19, '/uploads/product-images/p19-0.jpg', 'Küchenwaage (digital)', 0, 1200, 1200, '2021-03-01 10:05:00', '2021-03-01 10:05:00'),
  (41, 19, '/uploads/product-images/p19-1.jpg', 'Küchenwaage (digital) (2)', 1, 1600, 1067, '2021-03-01 10:06:00', '2021-03-01 10:06:00'),
  -- non-ASCII file name
  (42, 20, '/uploads/product-images/p20-0-方眼ノート.jpg', '方眼ノート A5', 0, 1200, 1200, '2019-08-04 04:05:00', '2019-08-04 04:05:00'),
  (43, 20, '/uploads/product-images/p20-1.jpg', '方眼ノート A5 (2)', 1, 1600, 1067, '2019-08-04 04:06:00', '2019-08-04 04:06:00'),
  (44, 20, '/uploads/product-images/p20-2.jpg', '方眼ノート A5 (3)', 2, 1600, 1067, '2019-08-04 04:07:00', '2019-08-04 04:07:00'),
  (45, 21, '/uploads/product-images/p21-0.png', '万年筆 細字', 0, 1200, 1200, '2019-08-04 04:15:00', '2019-08-04 04:15:00'),
  -- already URL-encoded
  (46, 21, '/uploads/product-images/p21-1%20(1).jpg', '万年筆 細字 (2)', 1, 1600, 1067, '2019-08-04 04:16:00', '2019-08-04 04:16:00'),
  (47, 22, '/uploads/product-images/p22-0.webp', 'インク 色彩雫 月夜', 0, 1200, 1200, '2019-10-01 04:05:00', '2019-10-01 04:05:00'),
  (48, 22, '/uploads/product-images/p22-1.webp', 'インク 色彩雫 月夜 (2)', 1, 1600, 1067, '2019-10-01 04:06:00', '2019-10-01 04:06:00'),
  (49, 23, '/uploads/product-images/p23-0.jpg', 'マスキングテープ 10巻セット', 0, 1200, 1200, '2020-04-01 04:05:00', '2020-04-01 04:05:00'),
  (50, 23, '/uploads/product-images/p23-1.jpg', 'マスキングテープ 10巻セット (2)', 1, 1600, 1067, '2020-04-01 04:06:00', '2020-04-01 04:06:00'),
  (51, 23, '/uploads/product-images/p23-2.jpg', 'マスキングテープ 10巻セット (3)', 2, 1600, 1067, '2020-04-01 04:07:00', '2020-04-01 04:07:00'),
  (52, 24, '/uploads/product-images/p24-0.jpg', 'Hobonichi-style planner 2024', 0, 1200, 1200, '2023-09-01 04:05:00', '2023-09-01 04:05:00'),
  (53, 25, '/uploads/product-images/p25-0.jpg', '消しゴム', 0, 1200, 1200, '2019-08-04 04:25:00', '2019-08-04 04:25:00'),
  (54, 25, '/uploads/product-images/p25-1.jpg', '消しゴム (2)', 1, 1600, 1067, '2019-08-04 04:26:00', '2019-08-04 04:26:00'),
  (55, 26, '/uploads/product-images/p26-0.jpg', 'Islandsk ullgenser', 0, 1200, 1200, '2020-08-10 09:05:00', '2020-08-10 09:05:00'),
  (56, 26, '/uploads/product-images/p26-1.jpg', 'Islandsk ullgenser (2)', 1, 1600, 1067, '2020-08-10 09:06:00', '2020-08-10 09:06:00'),
  (57, 26, '/uploads/product-images/p26-2.jpg', 'Islandsk ullgenser (3)', 2, 1600, 1067, '2020-08-10 09:07:00', '2020-08-10 09:07:00'),
  (58, 27, '/uploads/product-images/p27-0.jpg', 'Lue med dusk', 0, 1200, 1200, '2020-08-10 09:15:00', '2020-08-10 09:15:00'),
  (59, 28, '/uploads/product-images/p28-0.png', 'Skjerf i merinoull', 0, 1200, 1200, '2020-09-01 09:05:00', '2020-09-01 09:05:00'),
  (60, 28, '/uploads/product-images/p28-1.png', 'Skjerf i merinoull (2)', 1, 1600, 1067, '2020-09-01 09:06:00', '2020-09-01 09:06:00'),
  (61, 29, '/uploads/product-images/p29-0.jpg', 'Votter, mønstret', 0, 1200, 1200, '2020-10-01 09:05:00', '2020-10-01 09:05:00'),
  (62, 29, '/uploads/product-images/p29-1.jpg', 'Votter, mønstret (2)', 1, 1600, 1067, '2020-10-01 09:06:00', '2020-10-01 09:06:00'),
  (63, 29, '/uploads/product-images/p29-2.jpg', 'Votter, mønstret (3)', 2, 1600, 1067, '2020-10-01 09:07:00', '2020-10-01 09:07:00'),
  (64, 30, '/uploads/product-images/p30-0.jpg', 'Ullsokker 3-pk', 0, 1200, 1200, '2021-01-10 09:05:00', '2021-01-10 09:05:00'),
  (65, 31, '/uploads/product-images/p31-0.jpg', 'Ethiopia Yirgacheffe 250 g', 0, 1200, 1200, '2019-04-03 09:05:00', '2019-04-03 09:05:00'),
  (66, 31, '/uploads/product-images/p31-1.jpg', 'Ethiopia Yirgacheffe 250 g (2)', 1, 1600, 1067, '2019-04-03 09:06:00', '2019-04-03 09:06:00'),
  (67, 32, '/uploads/product-images/p32-0.jpg', 'Colombia Huila 1 kg', 0, 1200, 1200, '2019-04-03 09:15:00', '2019-04-03 09:15:00'),
  (68, 32, '/uploads/product-images/p32-1.jpg', 'Colombia Huila 1 kg (2)', 1, 1600, 1067, '2019-04-03 09:16:00', '2019-04-03 09:16:00'),
  (69, 32, '/uploads/product-images/p32-2.jpg', 'Colombia Huila 1 kg (3)', 2, 1600, 1067, '2019-04-03 09:17:00', '2019-04-03 09:17:00'),
  (70, 33, '/uploads/product-images/p33-0.webp', 'Décaféiné Swiss Water 250 g', 0, 1200, 1200, '2020-11-01 09:05:00', '2020-11-01 09:05:00'),
  (71, 34, '/uploads/product-images/p34-0.jpg', 'Pour-over dripper (ceramic)', 0, 1200, 1200, '2021-02-02 09:05:00', '2021-02-02 09:05:00'),
  (72, 34, '/uploads/product-images/p34-1.jpg', 'Pour-over dripper (ceramic) (2)', 1, 1600, 1067, '2021-02-02 09:06:00', '2021-02-02 09:06:00'),
  (73, 35, '/uploads/product-images/p35-0.png', 'Paper filters ×100', 0, 1200, 1200, '2021-02-02 09:15:00', '2021-02-02 09:15:00'),
  (74, 35, '/uploads/product-images/p35-1.png', 'Paper filters ×100 (2)', 1, 1600, 1067, '2021-02-02 09:16:00', '2021-02-02 09:16:00'),
  (75, 35, '/uploads/product-images/p35-2.png', 'Paper filters ×100 (3)', 2, 1600, 1067, '2021-02-02 09:17:00', '2021-02-02 09:17:00'),
  -- absolute URL from the first uploader
  (76, 36, 'http://localhost:3000/uploads/product-images/p36-0.jpg', 'Hand grinder — conical burr', 0, 1200, 1200, '2021-06-01 09:05:00', '2021-06-01 09:05:00'),
  (77, 36, '/uploads/product-images/p36-1.jpg', 'Hand grinder — conical burr (2)', 1, 1600, 1067, '2021-06-01 09:06:00', '2021-06-01 09:06:00'),
  (78, 37, '/uploads/product-images/p37-0.jpg', '龙井 Longjing green tea 100 g', 0, 1200, 1200, '2019-09-11 10:05:00', '2019-09-11 10:05:00'),
  (79, 37, '/uploads/product-images/p37-1.jpg', '龙井 Longjing green tea 100 g (2)', 1, 1600, 1067, '2019-09-11 10:06:00', '2019-09-11 10:06:00'),
  (80, 38, '/uploads/product-images/p38-0.jpg', 'Earl Grey Supreme', 0, 1200, 1200, '2019-09-11 10:15:00', '2019-09-11 10:15:00'),
  (81, 38, '/uploads/product-images/p38-1.jpg', 'Earl Grey Supreme (2)', 1, 1600, 1067, '2019-09-11 10:16:00', '2019-09-11 10:16:00'),
  (82, 38, '/uploads/product-images/p38-2.jpg', 'Earl Grey Supreme (3)', 2, 1600, 1067, '2019-09-11 10:17:00', '2019-09-11 10:17:00'),
  (83, 39, '/uploads/product-images/p39-0.jpg', 'Matcha 抹茶 ceremonial 30 g', 0, 1200, 1200, '2020-03-03 10:05:00', '2020-03-03 10:05:00'),
  (84, 40, '/uploads/product-images/p40-0.jpg', 'Yixing clay teapot', 0, 1200, 1200, '2020-03-03 10:15:00', '2020-03-03 10:15:00'),
  (85, 40, '/uploads/product-images/p40-1.jpg', 'Yixing clay teapot (2)', 1, 1600, 1067, '2020-03-03 10:16:00', '2020-03-03 10:16:00'),
  (86, 41, '/uploads/product-images/p41-0.jpg', 'Free sample: tea of the month', 0, 1200, 1200, '2022-01-01 10:05:00', '2022-01-01 10:05:00'),
  (87, 41, '/uploads/product-images/p41-1.jpg', 'Free sample: tea of the month (2)', 1, 1600, 1067, '2022-01-01 10:06:00', '2022-01-01 10:06:00'),
  (88, 41, '/uploads/product-images/p41-2.jpg', 'Free sample: tea of the month (3)', 2, 1600, 1067, '2022-01-01 10:07:00', '2022-01-01 10:07:00'),
  (89, 42, '/uploads/product-images/p42-0.png', 'Wireless headphones ANC', 0, 1200, 1200, '2020-09-02 09:05:00', '2020-09-02 09:05:00'),
  (90, 43, '/uploads/product-images/p43-0.jpg', 'Bluetooth speaker (waterproof)', 0, 1200, 1200, '2020-09-02 09:15:00', '2020-09-02 09:15:00'),
  (91, 43, '/uploads/product-images/p43-1.jpg', 'Bluetooth speaker (waterproof) (2)', 1, 1600, 1067, '2020-09-02 09:16:00', '2020-09-02 09:16:00'),
  (92, 44, '/uploads/product-images/p44-0.webp', 'USB-C cable 2 m, 100 W', 0, 1200, 1200, '2020-09-02 09:25:00', '2020-09-02 09:25:00'),
  (93, 44, '/uploads/product-images/p44-1.webp', 'USB-C cable 2 m, 100 W (2)', 1, 1600, 1067, '2020-09-02 09:26:00', '2020-09-02 09:26:00'),
  (94, 44, '/uploads/product-images/p44-2.webp', 'USB-C cable 2 m, 100 W (3)', 2, 1600, 1067, '2020-09-02 09:27:00', '2020-09-02 09:27:00'),
  (95, 45, '/uploads/product-images/p45-0.jpg', 'GaN charger 65 W', 0, 1200, 1200, '2021-05-05 09:05:00', '2021-05-05 09:05:00'),
  (96, 46, '/uploads/product-images/p46-0.jpg', 'Earbuds', 0, 1200, 1200, '2022-02-02 09:05:00', '2022-02-02 09:05:00'),
  (97, 46, '/uploads/product-images/p46-1.jpg', 'Earbuds (2)', 1, 1600, 1067, '2022-02-02 09:06:00', '2022-02-02 09:06:00'),
  (98, 48, '/uploads/product-images/p48-0.jpg', 'Travel adapter', 0, 1200, 1200, '2021-07-07 09:05:00', '2021-07-07 09:05:00'),
  (99, 49, '/uploads/product-images/p49-0.png', 'Miroir soleil doré', 0, 1200, 1200, '2023-03-01 09:05:00', '2023-03-01 09:05:00'),
  (100, 49, '/uploads/product-images/p49-1.png', 'Miroir soleil doré (2)', 1, 1600, 1067, '2023-03-01 09:06:00', '2023-03-01 09:06:00'),
  -- hosted by the vendor, not in /uploads
  (101, 50, 'https://cdn.weiss-soehne.example/img/gastro-100l.jpg', 'Gastro-Kochtopf 100 l', 0, 1200, 1200, '2022-10-10 10:05:00', '2022-10-10 10:05:00'),
  (102, 50, '/uploads/product-images/p50-1.jpg', 'Gastro-Kochtopf 100 l (2)', 1, 1600, 1067, '2022-10-10 10:06:00', '2022-10-10 10:06:00'),
  (103, 50, '/uploads/product-images/p50-2.jpg', 'Gastro-Kochtopf 100 l (3)', 2, 1600, 1067, '2022-10-10 10:07:00', '2022-10-10 10:07:00');
-- @@

-- ---------------------------------------------------------------------------------------------
-- valid_until has an expression default; carts reference coupons by `code`, a UNIQUE key that
-- is not the primary key.
CREATE TABLE `coupons` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `code` VARCHAR(32) NOT NULL,
  `kind` ENUM('percent','fixed','free_shipping') NOT NULL DEFAULT 'percent',
  `amount` DECIMAL(8,2) NOT NULL DEFAULT 0.00,
  `min_order_total` DECIMAL(10,2) DEFAULT NULL,
  `max_uses` SMALLINT UNSIGNED DEFAULT NULL COMMENT 'NULL = unlimited',
  `used_count` SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  `applies_to` SET('products','shipping','gift_cards') NOT NULL DEFAULT 'products',
  `valid_from` DATE NOT NULL DEFAULT (CURRENT_DATE),
  `valid_until` DATE DEFAULT (CURRENT_DATE + INTERVAL 30 DAY),
  `is_active` BIT(1) NOT NULL DEFAULT b'1',
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `coupons_code_unique` (`code`),
  CONSTRAINT `coupons_amount_non_negative` CHECK (`amount` >= 0),
  CONSTRAINT `coupons_percent_max` CHECK (`kind` <> 'percent' OR `amount` <= 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `coupons` (`id`, `code`, `kind`, `amount`, `min_order_total`, `max_uses`, `used_count`, `applies_to`, `valid_from`, `valid_until`, `is_active`, `created_at`, `updated_at`) VALUES
  (1, 'WELCOME10', 'percent', 10.00, NULL, NULL, 412, 'products', '2019-04-01', NULL, b'1', '2019-04-01 09:00:00', '2024-06-20 10:00:00'),
  (2, 'FREESHIP', 'free_shipping', 0.00, 30.00, NULL, 188, 'shipping', '2021-01-01', '2099-12-31', b'1', '2021-01-01 09:00:00', '2024-06-19 10:00:00'),
  (3, 'NOEL2023', 'fixed', 15.00, 75.00, 500, 500, 'products,shipping', '2023-12-01', '2023-12-26', b'0', '2023-11-28 09:00:00', '2023-12-27 00:00:00'),
  -- applies_to is the empty set: a coupon nobody could use
  (4, 'BROKEN-IMPORT', 'fixed', 5.00, NULL, 65535, 0, '', '2020-02-02', '2020-03-02', b'0', '2020-02-02 09:00:00', '2020-02-02 09:00:00'),
  (5, 'GIFTCARD-50', 'fixed', 50.00, NULL, 1, 0, 'gift_cards', '2024-06-01', '2099-12-31', b'1', '2024-06-01 09:00:00', '2024-06-01 09:00:00'),
  (6, 'ÉTÉ2024', 'percent', 15.00, 40.00, 1000, 37, 'products', '2024-06-15', '2099-12-31', b'1', '2024-06-10 09:00:00', '2024-06-21 08:00:00');
-- @@

-- ---------------------------------------------------------------------------------------------
-- order_month is generated with DATE_FORMAT, which has no PostgreSQL equivalent of the same name.
-- AUTO_INCREMENT is bumped to 1000 below, far above MAX(id).
CREATE TABLE `orders` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `order_number` VARCHAR(20) NOT NULL,
  `user_id` INT UNSIGNED DEFAULT NULL COMMENT 'NULL for guest checkout or deleted account',
  `status` ENUM('pending','paid','shipped','delivered','cancelled','refunded') NOT NULL DEFAULT 'pending',
  `subtotal` DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  `discount` DECIMAL(10,2) NOT NULL DEFAULT 0.00,
  `shipping_fee` DECIMAL(8,2) NOT NULL DEFAULT 0.00,
  `tax` DECIMAL(12,2) NOT NULL DEFAULT 0.00 COMMENT 'VAT included in total',
  `total` DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  `currency` CHAR(3) NOT NULL DEFAULT 'EUR',
  `coupon_code` VARCHAR(32) DEFAULT NULL,
  `shipping_address` JSON NOT NULL,
  `payment_reference` VARCHAR(64) DEFAULT NULL,
  `placed_ip` VARBINARY(16) DEFAULT NULL COMMENT 'INET6_ATON() bytes: 4 for IPv4, 16 for IPv6',
  `notes` TEXT DEFAULT NULL,
  `paid_at` DATETIME(3) DEFAULT NULL,
  `shipped_at` DATETIME DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `order_month` CHAR(7) GENERATED ALWAYS AS (DATE_FORMAT(`created_at`, '%Y-%m')) VIRTUAL COMMENT 'reporting bucket',
  PRIMARY KEY (`id`),
  UNIQUE KEY `orders_order_number_unique` (`order_number`),
  KEY `orders_user_status` (`user_id`, `status`),
  KEY `orders_created_at_desc` (`created_at` DESC),
  CONSTRAINT `orders_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT `orders_total_non_negative` CHECK (`total` >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `order_items` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `order_id` INT UNSIGNED NOT NULL,
  `product_id` INT UNSIGNED DEFAULT NULL,
  `product_name` VARCHAR(255) NOT NULL COMMENT 'snapshot at purchase time',
  `quantity` SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  `unit_price_cents` INT UNSIGNED NOT NULL,
  `total_cents` BIGINT UNSIGNED GENERATED ALWAYS AS (`quantity` * `unit_price_cents`) STORED,
  PRIMARY KEY (`id`),
  KEY `order_items_order_id_fk` (`order_id`),
  KEY `order_items_product_id_fk` (`product_id`),
  CONSTRAINT `order_items_order_id_fk` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `order_items_product_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT `order_items_quantity_positive` CHECK (`quantity` > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- shipped_at of order 3 is a zero date, so this chunk runs with the legacy sql_mode.
SET SESSION sql_mode = '';
INSERT INTO `orders` (`id`, `order_number`, `user_id`, `status`, `subtotal`, `discount`, `shipping_fee`, `tax`, `total`, `currency`, `coupon_code`, `shipping_address`, `payment_reference`, `placed_ip`, `notes`, `paid_at`, `shipped_at`, `created_at`, `updated_at`) VALUES
  (1, 'MH-2023-00001', 3, 'delivered', 22.00, 0.00, 4.90, 4.48, 26.90, 'EUR', NULL, '{"name":"Zoë Müller","line1":"Oranienstraße 25","line2":"Hinterhaus, 2. OG","city":"Berlin","postcode":"10999","country":"DE"}', 'pi_36JSvhPXh7PBLXimIB88avXmj', NULL, NULL, '2023-01-08 10:13:00.617', '2023-01-10 14:12:00', '2023-01-08 10:12:00', '2023-01-10 14:12:00'),
  (2, 'MH-2023-00002', 9, 'delivered', 123.00, 0.00, 0.00, 20.50, 123.00, 'EUR', NULL, '{"name":"Chloé Martin","line1":"27 cours Julien","city":"Marseille","postcode":"13006","country":"FR"}', 'pi_3nNHgjlw9iIKSd5bWkMz2TqKl', NULL, NULL, '2023-01-22 19:45:11.195', '2023-01-23 23:40:11', '2023-01-22 19:40:11', '2023-01-23 23:40:11'),
  -- shipped_at zero date: shipped before tracking existed
  (3, 'MH-2023-00003', 13, 'delivered', 284.00, 0.00, 0.00, 47.33, 284.00, 'EUR', NULL, '{"name":"Priya Sharma","line1":"221 MG Road","line2":"Near Trinity Metro","city":"Bengaluru","postcode":"560001","country":"IN"}', 'pi_3rbqdzc9BoHEVIcGE9fUhtRdO', NULL, NULL, '2023-02-14 08:07:30.944', '0000-00-00 00:00:00', '2023-02-14 08:05:30', '2023-02-14 08:07:30'),
  (4, 'MH-2023-00004', 4, 'delivered', 51.00, 0.00, 0.00, 8.50, 51.00, 'EUR', NULL, '{"name":"François Lefèvre","line1":"5 place Bellecour","city":"Lyon","postcode":"69002","country":"FR"}', 'pi_3cQDQXsrjBnjS7VVegmZTlBg2', INET6_ATON('2001:db8:4::1c'), NULL, '2023-03-03 12:04:00.296', '2023-03-04 16:00:00', '2023-03-03 12:00:00', '2023-03-04 16:00:00'),
  (5, 'MH-2023-00005', 21, 'refunded', 199.00, 0.00, 0.00, 33.17, 199.00, 'EUR', NULL, '{"name":"🦄 Unicorn","line1":"1 Rainbow Road","line2":"Cloud 9","city":"Brighton","postcode":"BN1 1AA","country":"GB"}', 'PAYID-TH6D9TYCmGshuHAGbjwVOKsM', INET6_ATON('203.0.113.15'), NULL, '2023-03-27 21:27:00.289', '2023-03-30 01:21:00', '2023-03-27 21:21:00', '2023-03-30 01:21:00'),
  (6, 'MH-2023-00006', 27, 'delivered', 84.00, 0.00, 0.00, 14.00, 84.00, 'EUR', NULL, '{"name":"Noah Smith","line1":"350 5th Ave","line2":"Suite 4100","city":"New York, NY","postcode":"10118","country":"US"}', 'pi_3rBNJgIk4yxFncgEMAkFOAzid', INET6_ATON('203.0.113.18'), NULL, '2023-04-18 16:47:00.231', '2023-04-20 20:45:00', '2023-04-18 16:45:00', '2023-04-20 20:45:00'),
  (7, 'MH-2023-00007', 36, 'cancelled', 88.80, 0.00, 0.00, 14.80, 88.80, 'EUR', NULL, '{"name":"unknown"}', NULL, INET6_ATON('203.0.113.21'), NULL, NULL, NULL, '2023-05-02 11:00:00', '2023-05-02 11:00:00'),
  (8, 'MH-2023-00008', 11, 'delivered', 119.00, 0.00, 0.00, 19.83, 119.00, 'EUR', NULL, '{"name":"Дмитрий Иванов","line1":"ул. Тверская, д. 7, кв. 12","city":"Москва","postcode":"125009","country":"RU"}', 'pi_3wTyK2ScT4FK4IYjGdg4ALiQv', INET6_ATON('2001:db8:8::38'), NULL, '2023-05-19 13:38:00.621', '2023-05-22 17:37:00', '2023-05-19 13:37:00', '2023-05-22 17:37:00'),
  (9, 'MH-2023-00009', 17, 'delivered', 159.00, 0.00, 0.00, 26.50, 159.00, 'EUR', NULL, '{"name":"Ana-María O''Connor","line1":"7 Ha''penny Lane","line2":"Apt. 2","city":"Dublin","postcode":"D02 X285","country":"IE"}', 'pi_3xnGkJmMm1v8GKkb48tRcESM4', INET6_ATON('203.0.113.27'), 'Please leave it with the neighbour at no. 9', '2023-06-06 17:04:00.325', '2023-06-08 21:00:00', '2023-06-06 17:00:00', '2023-06-08 21:00:00'),
  (10, 'MH-2023-00010', 23, 'delivered', 230.60, 0.00, 0.00, 38.43, 230.60, 'EUR', NULL, '{"name":"Hélène Côté","line1":"1234 rue Saint-Denis","line2":"app. 5","city":"Montréal","postcode":"H2X 3K3","country":"CA"}', 'PAYID-kJnxbcIRxbzBbjEhEASkzRfj', INET6_ATON('203.0.113.30'), NULL, '2023-06-30 12:35:00.251', '2023-07-01 16:30:00', '2023-06-30 12:30:00', '2023-07-01 16:30:00'),
  -- guest checkout: user_id NULL
  (11, 'MH-2023-00011', NULL, 'delivered', 318.00, 0.00, 0.00, 53.00, 318.00, 'EUR', NULL, '{"name":"Marie Curie","line1":"11 rue Pierre et Marie Curie","city":"Paris","postcode":"75005","country":"FR"}', 'pi_3ZCIihzsSsZRHbPRtpYA12nYj', INET6_ATON('203.0.113.33'), NULL, '2023-07-14 10:01:00.277', '2023-07-16 14:00:00', '2023-07-14 10:00:00', '2023-07-16 14:00:00'),
  (12, 'MH-2023-00012', 8, 'delivered', 149.00, 0.00, 0.00, 24.83, 149.00, 'EUR', NULL, '{"name":"김민준","line1":"강남대로 396","city":"서울특별시 강남구","postcode":"06232","country":"KR"}', 'pi_3awjERUyeQsroPfbrhWKlYxuu', INET6_ATON('2001:db8:c::54'), NULL, '2023-08-08 08:10:08.233', '2023-08-10 12:08:08', '2023-08-08 08:08:08', '2023-08-10 12:08:08'),
  (13, 'MH-2023-00013', 26, 'cancelled', 157.00, 0.00, 0.00, 26.17, 157.00, 'EUR', NULL, '{"name":"Inés García","line1":"Calle de Fuencarral 45","line2":"3º B","city":"Madrid","postcode":"28004","country":"ES"}', 'pi_37Qdox2zz6czroReKJMvHXyGv', INET6_ATON('203.0.113.39'), NULL, '2023-09-01 09:19:00.383', NULL, '2023-09-01 09:15:00', '2023-09-01 09:19:00'),
  (14, 'MH-2023-00014', 3, 'delivered', 245.00, 0.00, 0.00, 40.83, 245.00, 'EUR', NULL, '{"name":"Zoë Müller","line1":"Oranienstraße 25","line2":"Hinterhaus, 2. OG","city":"Berlin","postcode":"10999","country":"DE"}', 'pi_3tPOxLiqNLBDBW1gjVAoSnhNr', INET6_ATON('203.0.113.42'), NULL, '2023-09-20 07:51:00.479', '2023-09-21 11:45:00', '2023-09-20 07:45:00', '2023-09-21 11:45:00'),
  (15, 'MH-2023-00015', 30, 'delivered', 213.99, 0.00, 0.00, 35.67, 213.99, 'EUR', NULL, '{"name":"Sofia Rossi","line1":"Via dei Neri 12","line2":"int. 4","city":"Firenze","postcode":"50122","country":"IT"}', 'PAYID-shpnacBT7epLyIayW9Toz6r7', INET6_ATON('203.0.113.45'), 'Regalo: niente fattura nel pacco, grazie!', '2023-10-31 22:04:00.443', '2023-11-03 02:00:00', '2023-10-31 22:00:00', '2023-11-03 02:00:00'),
  (16, 'MH-2023-00016', 19, 'delivered', 149.00, 0.00, 0.00, 24.83, 149.00, 'EUR', NULL, '{"name":"Nguyễn Văn An","line1":"12 Lý Thường Kiệt","line2":"Phường Hàng Bài","city":"Hà Nội","postcode":"100000","country":"VN"}', 'pi_3hHFkSZ01by4gJisD40k95HMQ', INET6_ATON('2001:db8:10::70'), NULL, '2023-11-24 00:09:00.015', '2023-11-25 04:05:00', '2023-11-24 00:05:00', '2023-11-25 04:05:00'),
  (17, 'MH-2023-00017', 12, 'delivered', 134.00, 15.00, 0.00, 19.83, 119.00, 'EUR', 'NOEL2023', '{"name":"محمد العلي","line1":"Sheikh Zayed Rd, Tower 2, Apt 1801","city":"Dubai","postcode":"","country":"AE"}', 'pi_3N3lVYv1DipcKb4qIyJzD42Hi', INET6_ATON('203.0.113.51'), NULL, '2023-12-03 16:05:00.865', '2023-12-06 20:00:00', '2023-12-03 16:00:00', '2023-12-06 20:00:00'),
  (18, 'MH-2023-00018', 9, 'delivered', 153.00, 15.00, 0.00, 23.00, 138.00, 'EUR', 'NOEL2023', '{"name":"Chloé Martin","line1":"27 cours Julien","city":"Marseille","postcode":"13006","country":"FR"}', 'pi_3Pyl78AX29r8KA9MMfNpjCVyV', INET6_ATON('203.0.113.54'), 'Merci de laisser le colis chez la gardienne 🙏\nCode porte : 4521B', '2023-12-15 20:26:00.036', '2023-12-17 00:20:00', '2023-12-15 20:20:00', '2023-12-17 00:20:00'),
  (19, 'MH-2024-00019', 36, 'pending', 24.50, 0.00, 4.90, 4.90, 29.40, 'EUR', NULL, '{"name":"unknown"}', NULL, INET6_ATON('203.0.113.57'), NULL, NULL, NULL, '2024-01-02 09:00:00', '2024-01-02 09:00:00'),
  (20, 'MH-2024-00020', 28, 'delivered', 89.00, 0.00, 0.00, 14.83, 89.00, 'EUR', NULL, '{"name":"Emma Johnson","line1":"221B Baker Street","city":"London","postcode":"NW1 6XE","country":"GB"}', 'PAYID-O7IzTpVvkKYmPm8C4P7SZR3F', INET6_ATON('2001:db8:14::8c'), NULL, '2024-01-20 18:02:00.258', '2024-01-21 22:00:00', '2024-01-20 18:00:00', '2024-01-21 22:00:00'),
  (21, 'MH-2024-00021', 22, 'delivered', 39.00, 0.00, 4.90, 7.32, 43.90, 'EUR', NULL, '{"name":"Tomás Ñúñez","line1":"Av. Álvaro Obregón 99","line2":"Col. Roma Norte","city":"Ciudad de México","postcode":"06700","country":"MX"}', 'pi_3iW1MU5Afs0oL0T4xRlPGxbpZ', INET6_ATON('203.0.113.63'), 'Es un regalo de San Valentín ❤️', '2024-02-14 14:03:00.233', '2024-02-15 18:00:00', '2024-02-14 14:00:00', '2024-02-15 18:00:00'),
  (22, 'MH-2024-00022', 21, 'shipped', 142.00, 0.00, 0.00, 23.67, 142.00, 'EUR', 'FREESHIP', '{"name":"🦄 Unicorn","line1":"1 Rainbow Road","line2":"Cloud 9","city":"Brighton","postcode":"BN1 1AA","country":"GB"}', 'pi_3TMyijMaKxWBxA1verHxDkH6N', INET6_ATON('203.0.113.66'), NULL, '2024-03-21 21:02:00.123', '2024-03-25 01:00:00', '2024-03-21 21:00:00', '2024-03-25 01:00:00'),
  (23, 'MH-2024-00023', 13, 'delivered', 19.00, 1.90, 4.90, 3.67, 22.00, 'EUR', 'WELCOME10', '{"name":"Priya Sharma","line1":"221 MG Road","line2":"Near Trinity Metro","city":"Bengaluru","postcode":"560001","country":"IN"}', 'pi_3TNNiOfii10YAzOlBgpJyxu4B', INET6_ATON('203.0.113.69'), NULL, '2024-04-10 10:05:00.699', '2024-04-13 14:00:00', '2024-04-10 10:00:00', '2024-04-13 14:00:00'),
  -- guest checkout: user_id NULL
  (24, 'MH-2024-00024', NULL, 'delivered', 143.40, 0.00, 0.00, 23.90, 143.40, 'EUR', NULL, '{"name":"Jan Kowalski","line1":"ul. Długa 5/7","city":"Gdańsk","postcode":"80-827","country":"PL","phone":"+48 500 000 000"}', 'pi_3VnVUilY3R53UYnvQWdErnPCz', INET6_ATON('2001:db8:18::a8'), NULL, '2024-04-28 15:34:00.854', '2024-04-30 19:30:00', '2024-04-28 15:30:00', '2024-04-30 19:30:00'),
  (25, 'MH-2024-00025', 10, 'shipped', 56.95, 0.00, 0.00, 9.49, 56.95, 'EUR', NULL, '{"name":"Αλέξανδρος Παπαδόπουλος","line1":"Ερμού 10","city":"Αθήνα","postcode":"105 63","country":"GR"}', 'PAYID-ij3tM3uclEKtjyM2iExI1muU', INET6_ATON('203.0.113.75'), NULL, '2024-05-15 12:01:00.285', '2024-05-16 16:00:00', '2024-05-15 12:00:00', '2024-05-16 16:00:00'),
  (26, 'MH-2024-00026', 24, 'paid', 144.00, 0.00, 0.00, 24.00, 144.00, 'EUR', NULL, '{"name":"Mia Schröder","line1":"Mariahilfer Straße 88","line2":"Top 14","city":"Wien","postcode":"1070","country":"AT"}', 'pi_3C3sxeIjHpmpdjKQcahEdA494', INET6_ATON('203.0.113.78'), NULL, '2024-06-02 09:50:00.512', NULL, '2024-06-02 09:45:00', '2024-06-02 09:50:00'),
  (27, 'MH-2024-00027', 29, 'paid', 282.00, 0.00, 0.00, 47.00, 282.00, 'EUR', NULL, '{"name":"Liam Brown","line1":"10 Princes St","city":"Edinburgh","postcode":"EH2 2AN","country":"GB"}', 'pi_3a26f3cfGWxrzzozoEUjuhX5B', INET6_ATON('203.0.113.81'), NULL, '2024-06-10 11:22:00.648', NULL, '2024-06-10 11:20:00', '2024-06-10 11:22:00'),
  (28, 'MH-2024-00028', 9, 'pending', 978.90, 0.00, 0.00, 163.15, 978.90, 'EUR', NULL, '{"name":"Chloé Martin","line1":"27 cours Julien","city":"Marseille","postcode":"13006","country":"FR"}', NULL, INET6_ATON('2001:db8:1c::c4'), NULL, NULL, NULL, '2024-06-19 20:05:00', '2024-06-19 20:05:00'),
  (29, 'MH-2024-00029', 27, 'pending', 101.00, 0.00, 0.00, 16.83, 101.00, 'EUR', NULL, '{"name":"Noah Smith","line1":"350 5th Ave","line2":"Suite 4100","city":"New York, NY","postcode":"10118","country":"US"}', NULL, INET6_ATON('203.0.113.87'), NULL, NULL, NULL, '2024-06-21 08:00:00', '2024-06-21 08:00:00'),
  (30, 'MH-2024-00030', 36, 'pending', 149.00, 0.00, 0.00, 24.83, 149.00, 'EUR', NULL, '{"name":"unknown"}', NULL, INET6_ATON('203.0.113.90'), NULL, NULL, NULL, '2024-06-21 09:00:00', '2024-06-21 09:00:00');

INSERT INTO `order_items` (`id`, `order_id`, `product_id`, `product_name`, `quantity`, `unit_price_cents`) VALUES
  (1, 1, 22, 'インク 色彩雫 月夜', 1, 2200),
  (2, 2, 7, 'Vase en grès émaillé', 1, 5400),
  (3, 2, 17, 'Schneidebrett aus Nussbaum', 1, 6900),
  (4, 3, 45, 'GaN charger 65 W', 1, 3900),
  (5, 3, 8, 'Borsa a tracolla in pelle', 1, 24500),
  (6, 4, 34, 'Pour-over dripper (ceramic)', 1, 2700),
  -- product row was hard-deleted in 2022; only the name snapshot remains
  (7, 4, NULL, 'Tasse « Bonne Maman » (retirée)', 2, 1200),
  (8, 5, 42, 'Wireless headphones ANC', 1, 19900),
  (9, 6, 22, 'インク 色彩雫 月夜', 1, 2200),
  (10, 6, 34, 'Pour-over dripper (ceramic)', 1, 2700),
  (11, 6, 27, 'Lue med dusk', 1, 3500),
  (12, 7, 31, 'Ethiopia Yirgacheffe 250 g', 2, 1490),
  (13, 7, 28, 'Skjerf i merinoull', 1, 5900),
  (14, 8, 14, 'Gusseisenpfanne 28 cm', 1, 11900),
  (15, 9, 26, 'Islandsk ullgenser', 1, 15900),
  (16, 10, 21, '万年筆 細字', 1, 12000),
  (17, 10, 28, 'Skjerf i merinoull', 1, 5900),
  (18, 10, 18, 'Schneebesen', 4, 1290),
  (19, 11, 29, 'Votter, mønstret', 1, 4200),
  (20, 11, 33, 'Décaféiné Swiss Water 250 g', 2, 1550),
  (21, 11, 8, 'Borsa a tracolla in pelle', 1, 24500),
  -- free sample: unit price 0
  (22, 11, 41, 'Free sample: tea of the month', 1, 0),
  (23, 12, 2, 'Suspension en rotin', 1, 14900),
  (24, 13, 35, 'Paper filters ×100', 4, 650),
  (25, 13, 29, 'Votter, mønstret', 1, 4200),
  (26, 13, 9, 'Portafoglio uomo', 1, 8900),
  (27, 14, 8, 'Borsa a tracolla in pelle', 1, 24500),
  (28, 15, 27, 'Lue med dusk', 1, 3500),
  (29, 15, 48, 'Travel adapter', 1, 1999),
  (30, 15, 26, 'Islandsk ullgenser', 1, 15900),
  -- Black Friday price snapshot, below the current price
  (31, 16, 42, 'Wireless headphones ANC', 1, 14900),
  (32, 17, 40, 'Yixing clay teapot', 1, 7500),
  (33, 17, 28, 'Skjerf i merinoull', 1, 5900),
  (34, 18, 49, 'Miroir soleil doré', 1, 12900),
  (35, 18, 38, 'Earl Grey Supreme', 2, 1200),
  (36, 19, 3, 'Bougie parfumée Figue & Cèdre', 1, 2450),
  (37, 20, 1, 'Lampe de chevet « Lune »', 1, 8900),
  (38, 21, 45, 'GaN charger 65 W', 1, 3900),
  (39, 22, 46, 'Earbuds', 1, 7900),
  (40, 22, 38, 'Earl Grey Supreme', 2, 1200),
  (41, 22, 5, 'Coussin brodé Provence', 1, 3900),
  (42, 23, 12, 'Portachiavi', 1, 1900),
  (43, 24, 4, 'Plaid en lin lavé', 1, 7990),
  (44, 24, 12, 'Portachiavi', 3, 1900),
  (45, 24, 35, 'Paper filters ×100', 1, 650),
  -- free sample: unit price 0
  (46, 24, 41, 'Free sample: tea of the month', 1, 0),
  (47, 25, 22, 'インク 色彩雫 月夜', 1, 2200),
  (48, 25, 19, 'Küchenwaage (digital)', 1, 3495),
  (49, 26, 10, 'Cintura intrecciata', 1, 6500),
  (50, 26, 46, 'Earbuds', 1, 7900),
  (51, 27, 35, 'Paper filters ×100', 40, 650),
  (52, 27, 22, 'インク 色彩雫 月夜', 1, 2200),
  (53, 28, 50, 'Gastro-Kochtopf 100 l', 1, 89900),
  (54, 28, 4, 'Plaid en lin lavé', 1, 7990),
  (55, 29, 29, 'Votter, mønstret', 1, 4200),
  (56, 29, 28, 'Skjerf i merinoull', 1, 5900),
  (57, 30, 2, 'Suspension en rotin', 1, 14900);

-- Test orders removed by an admin (their items go with them through ON DELETE CASCADE).
-- When the new checkout went live, order ids jumped to 1000: the next order is 1000 even
-- though MAX(id) is 29, and a migration must carry the counter over.
DELETE FROM `orders` WHERE `id` IN (7, 19, 30);
ALTER TABLE `orders` AUTO_INCREMENT = 1000;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
-- @@

-- ---------------------------------------------------------------------------------------------
CREATE TABLE `reviews` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `user_id` INT UNSIGNED NOT NULL,
  `product_id` INT UNSIGNED NOT NULL,
  `rating` TINYINT UNSIGNED NOT NULL,
  `title` VARCHAR(150) DEFAULT NULL,
  `body` TEXT DEFAULT NULL,
  `is_verified_purchase` TINYINT(1) NOT NULL DEFAULT 0,
  `helpful_votes` SMALLINT NOT NULL DEFAULT 0,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `reviews_user_product_unique` (`user_id`, `product_id`),
  KEY `reviews_product_rating` (`product_id`, `rating`),
  CONSTRAINT `reviews_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `reviews_product_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `reviews_rating_range` CHECK (`rating` BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `reviews` (`id`, `user_id`, `product_id`, `rating`, `title`, `body`, `is_verified_purchase`, `helpful_votes`, `created_at`, `updated_at`) VALUES
  (1, 9, 7, 1, 'Vase arrivé cassé 😡', 'Reçu en 3 morceaux.\nRemplacé par le vendeur en 5 jours, merci quand même.', 1, 31, '2023-02-09 14:15:00', '2023-02-09 14:15:00'),
  -- helpful_votes below zero (down-votes)
  (2, 21, 42, 2, 'Stopped charging', 'See ticket #2. Refunded, so 2 stars instead of 1.', 1, -3, '2023-04-15 15:56:00', '2023-04-15 15:56:00'),
  (3, 3, 22, 4, 'Bello', NULL, 1, 3, '2023-01-24 19:35:00', '2023-01-24 19:35:00'),
  (4, 9, 17, 2, 'Enttäuschend', 'Smaller than expected (see dimensions… which I should have read).', 1, 13, '2023-01-28 21:28:11', '2023-01-28 21:28:11'),
  (5, 13, 45, 5, 'Perfetto 👌', 'Qualité irréprochable, emballage soigné.\nJe recommande.', 1, 23, '2023-03-03 14:29:30', '2023-03-03 14:29:30'),
  (6, 13, 8, 4, '不错', 'Gute Qualität, der Preis ist "sportlich".', 1, 21, '2023-02-24 13:46:30', '2023-02-24 13:46:30'),
  (7, 27, 22, 4, 'Bello', 'Works well. Took 9 days to arrive.', 1, 23, '2023-05-04 01:41:00', '2023-05-04 01:41:00'),
  (8, 27, 27, 2, 'Not as pictured', 'La couleur ne correspond pas du tout à la photo.', 1, 17, '2023-04-25 18:31:00', '2023-04-25 18:31:00'),
  (9, 17, 26, 5, 'Magnifique ✨', 'Exactly as described. Fast shipping.', 1, 15, '2023-06-21 19:14:00', '2023-06-21 19:14:00'),
  (10, 23, 21, 4, '不错', 'Works well. Took 9 days to arrive.', 1, 9, '2023-07-05 14:09:00', '2023-07-05 14:09:00'),
  (11, 23, 18, 4, 'Très bien', NULL, 1, 7, '2023-07-19 19:00:00', '2023-07-19 19:00:00'),
  (12, 8, 2, 5, 'Absolutely love it', 'Use it every day ☕', 1, 5, '2023-08-22 14:52:08', '2023-08-22 14:52:08'),
  (13, 3, 8, 5, 'Perfetto 👌', 'Exactly as described. Fast shipping.', 1, 24, '2023-09-23 09:12:00', '2023-09-23 09:12:00'),
  (14, 30, 27, 5, '10/10 would buy again', 'Regalo perfetto, mia madre l''ha adorato.', 1, 22, '2023-11-04 23:08:00', '2023-11-04 23:08:00'),
  (15, 30, 48, 4, 'Gut, aber teuer', 'Good, but the colour is a bit darker than on the photo.', 1, 0, '2023-11-08 07:13:00', '2023-11-08 07:13:00'),
  (16, 12, 40, 2, 'Not as pictured', 'Smaller than expected (see dimensions… which I should have read).', 1, 16, '2023-12-17 20:39:00', '2023-12-17 20:39:00'),
  (17, 12, 28, 2, 'Enttäuschend', 'La couleur ne correspond pas du tout à la photo.', 1, 16, '2023-12-11 17:09:00', '2023-12-11 17:09:00'),
  (18, 9, 49, 5, 'Parfait !', '包装も丁寧で、とても満足しています。', 1, 25, '2023-12-24 01:11:00', '2023-12-24 01:11:00'),
  (19, 9, 38, 4, 'Nice, shipping was slow', 'Gute Qualität, der Preis ist "sportlich".', 1, 18, '2024-01-05 00:32:00', '2024-01-05 00:32:00'),
  (20, 28, 1, 3, 'Mittelmäßig', NULL, 1, 3, '2024-01-29 19:55:00', '2024-01-29 19:55:00'),
  (21, 22, 45, 4, 'Bello', 'Good, but the colour is a bit darker than on the photo.', 1, 25, '2024-03-03 17:03:00', '2024-03-03 17:03:00'),
  (22, 21, 46, 5, '最高です', 'Regalo perfetto, mia madre l''ha adorato.', 1, 9, '2024-03-29 22:19:00', '2024-03-29 22:19:00'),
  (23, 21, 38, 4, 'Bello', 'Gute Qualität, der Preis ist "sportlich".', 1, 10, '2024-03-31 22:47:00', '2024-03-31 22:47:00'),
  (24, 21, 5, 5, 'Excellent quality', 'Qualité irréprochable, emballage soigné.\nJe recommande.', 1, 5, '2024-04-08 04:43:00', '2024-04-08 04:43:00'),
  (25, 13, 12, 5, 'Sehr gut', NULL, 1, 3, '2024-04-30 13:01:00', '2024-04-30 13:01:00'),
  (26, 10, 19, 4, 'Gut, aber teuer', NULL, 1, 8, '2024-06-02 13:14:00', '2024-06-02 13:14:00'),
  -- rating only, no text
  (27, 18, 25, 5, NULL, NULL, 0, 0, '2023-06-15 13:55:00', '2023-06-15 13:55:00'),
  (28, 14, 31, 5, 'Ẹ ṣé o!', 'Mo fẹ́ràn kọfí yìí gan-an.', 0, 4, '2023-03-11 18:39:00', '2023-03-11 18:39:00'),
  (29, 20, 26, 4, 'Hlý og góð', 'Góð peysa, svolítið stór.', 0, 2, '2023-12-16 19:45:00', '2023-12-16 19:45:00'),
  (30, 10, 15, 5, 'Εξαιρετικό μαχαίρι', 'Κόβει σαν ξυράφι.', 0, 9, '2024-02-20 16:24:00', '2024-02-20 16:24:00'),
  -- markup, quotes and a backslash in the body
  (31, 29, 38, 3, 'Fine', 'Tastes like… tea. <b>bold claim</b> & "quotes" \\ backslash', 0, 1, '2024-01-14 15:43:00', '2024-01-14 15:43:00'),
  (32, 5, 36, 2, 'Déçue', 'Smaller than expected (see dimensions… which I should have read).', 0, 12, '2024-01-26 10:14:00', '2024-01-26 10:14:00'),
  (33, 22, 8, 4, 'Gut, aber teuer', 'Gute Qualität, der Preis ist "sportlich".', 0, 8, '2024-01-22 12:36:00', '2024-01-22 12:36:00'),
  (34, 24, 3, 4, 'Très bien', NULL, 0, 4, '2024-01-18 15:03:00', '2024-01-18 15:03:00'),
  (35, 26, 39, 5, '10/10 would buy again', NULL, 0, 23, '2024-01-21 16:38:00', '2024-01-21 16:38:00'),
  (36, 28, 43, 4, 'Bello', 'Gute Qualität, der Preis ist "sportlich".', 0, 18, '2024-01-20 15:25:00', '2024-01-20 15:25:00'),
  (37, 30, 11, 5, '10/10 would buy again', 'Qualité irréprochable, emballage soigné.\nJe recommande.', 0, 1, '2024-01-17 14:10:00', '2024-01-17 14:10:00'),
  (38, 17, 21, 5, 'Sehr gut', 'Regalo perfetto, mia madre l''ha adorato.', 0, 10, '2024-01-13 10:12:00', '2024-01-13 10:12:00'),
  (39, 23, 49, 2, 'Not as pictured', 'Smaller than expected (see dimensions… which I should have read).', 0, 20, '2024-01-23 13:03:00', '2024-01-23 13:03:00'),
  (40, 19, 40, 2, 'Not as pictured', 'La couleur ne correspond pas du tout à la photo.', 0, 16, '2024-01-26 15:56:00', '2024-01-26 15:56:00'),
  (41, 12, 42, 3, 'Mittelmäßig', NULL, 0, 18, '2024-01-22 14:58:00', '2024-01-22 14:58:00'),
  (42, 11, 32, 5, 'Parfait !', 'Use it every day ☕', 0, 19, '2024-01-20 18:44:00', '2024-01-20 18:44:00'),
  (43, 27, 45, 5, 'Excellent quality', 'Regalo perfetto, mia madre l''ha adorato.', 0, 20, '2024-01-27 10:43:00', '2024-01-27 10:43:00');
-- @@

-- ---------------------------------------------------------------------------------------------
CREATE TABLE `carts` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `user_id` INT UNSIGNED DEFAULT NULL,
  `session_id` VARCHAR(64) DEFAULT NULL COMMENT 'guest carts are keyed by the express-session id',
  `coupon_code` VARCHAR(32) DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `carts_user_id_unique` (`user_id`),
  KEY `carts_session_id` (`session_id`),
  CONSTRAINT `carts_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `carts_coupon_code_fk` FOREIGN KEY (`coupon_code`) REFERENCES `coupons` (`code`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `cart_items` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `cart_id` INT UNSIGNED NOT NULL,
  `product_id` INT UNSIGNED NOT NULL,
  `quantity` SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  `added_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `cart_items_cart_product` (`cart_id`, `product_id`),
  KEY `cart_items_product_id_fk` (`product_id`),
  CONSTRAINT `cart_items_cart_id_fk` FOREIGN KEY (`cart_id`) REFERENCES `carts` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `cart_items_product_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `carts` (`id`, `user_id`, `session_id`, `coupon_code`, `created_at`, `updated_at`) VALUES
  (1, 3, NULL, NULL, '2024-06-01 07:00:00', '2024-06-02 07:05:00'),
  (2, 9, NULL, 'ÉTÉ2024', '2024-06-15 20:00:00', '2024-06-19 20:01:00'),
  (3, 21, NULL, 'FREESHIP', '2024-06-20 21:00:00', '2024-06-21 21:20:00'),
  (4, 13, NULL, NULL, '2024-05-10 10:00:00', '2024-06-15 10:00:00'),
  (5, 27, NULL, 'WELCOME10', '2024-06-16 16:00:00', '2024-06-16 16:10:00'),
  -- guest carts: no user, keyed by session id
  (6, NULL, 'sJ8kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', NULL, '2024-06-21 11:00:00', '2024-06-21 11:02:00'),
  (7, NULL, 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY', NULL, '2024-06-20 15:30:00', '2024-06-20 15:30:00'),
  -- abandoned empty cart
  (8, 30, NULL, NULL, '2023-02-14 14:00:00', '2023-02-14 14:00:00');

INSERT INTO `cart_items` (`id`, `cart_id`, `product_id`, `quantity`, `added_at`) VALUES
  (1, 1, 21, 1, '2024-06-01 07:01:00'),
  (2, 1, 22, 2, '2024-06-01 07:02:00'),
  (3, 2, 1, 1, '2024-06-15 20:01:00'),
  (4, 2, 5, 2, '2024-06-15 20:03:00'),
  (5, 2, 49, 1, '2024-06-19 20:01:00'),
  (6, 3, 42, 1, '2024-06-20 21:05:00'),
  (7, 3, 44, 3, '2024-06-21 21:20:00'),
  (8, 4, 31, 2, '2024-05-10 10:01:00'),
  (9, 4, 35, 1, '2024-05-10 10:02:00'),
  (10, 5, 8, 1, '2024-06-16 16:05:00'),
  (11, 6, 38, 4, '2024-06-21 11:01:00'),
  (12, 6, 39, 1, '2024-06-21 11:02:00'),
  -- a wholesale quantity at SMALLINT UNSIGNED max
  (13, 7, 35, 65535, '2024-06-20 15:30:00'),
  (15, 5, 15, 1, '2024-06-16 16:10:00');
-- @@

-- ---------------------------------------------------------------------------------------------
-- Composite primary key, and a composite foreign key pointing at it.
CREATE TABLE `wishlists` (
  `user_id` INT UNSIGNED NOT NULL,
  `product_id` INT UNSIGNED NOT NULL,
  `note` VARCHAR(255) DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`user_id`, `product_id`),
  KEY `wishlists_product_id_fk` (`product_id`),
  CONSTRAINT `wishlists_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `wishlists_product_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `wishlist_price_alerts` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `user_id` INT UNSIGNED NOT NULL,
  `product_id` INT UNSIGNED NOT NULL,
  `target_price` DECIMAL(10,2) NOT NULL,
  `notified_at` DATETIME DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `wishlist_price_alerts_item` (`user_id`, `product_id`, `target_price`),
  CONSTRAINT `wishlist_price_alerts_wishlist_fk` FOREIGN KEY (`user_id`, `product_id`) REFERENCES `wishlists` (`user_id`, `product_id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `wishlist_price_alerts_target_positive` CHECK (`target_price` > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='E-mail me when this wishlist item drops below target_price';

INSERT INTO `wishlists` (`user_id`, `product_id`, `note`, `created_at`) VALUES
  (3, 15, 'für Papa 🎁', '2024-03-01 10:00:00'),
  (3, 26, NULL, '2024-03-01 10:02:00'),
  (4, 8, NULL, '2023-11-20 21:00:00'),
  (8, 21, '생일 선물', '2024-05-01 09:00:00'),
  (8, 39, NULL, '2024-05-01 09:01:00'),
  (9, 1, NULL, '2024-06-10 20:00:00'),
  (9, 49, 'salon — au-dessus du canapé', '2024-06-10 20:05:00'),
  (12, 40, NULL, '2024-02-02 12:00:00'),
  (13, 36, NULL, '2024-04-04 10:00:00'),
  (13, 42, 'wait for Black Friday', '2024-04-04 10:01:00'),
  (17, 11, NULL, '2023-09-09 09:00:00'),
  (19, 37, NULL, '2024-01-15 08:00:00'),
  (21, 42, '✨✨✨', '2024-06-01 21:00:00'),
  (21, 46, NULL, '2024-06-01 21:01:00'),
  (23, 4, NULL, '2023-10-10 10:00:00'),
  (26, 33, NULL, '2024-05-20 09:00:00'),
  (27, 15, NULL, '2024-06-16 16:00:00'),
  (28, 28, NULL, '2023-12-01 18:00:00'),
  (30, 8, 'quella marrone', '2024-06-18 19:00:00'),
  (30, 13, NULL, '2022-11-11 11:00:00');

INSERT INTO `wishlist_price_alerts` (`id`, `user_id`, `product_id`, `target_price`, `notified_at`, `created_at`) VALUES
  (1, 4, 8, 199.00, NULL, '2023-11-20 21:01:00'),
  (2, 13, 42, 149.00, '2024-05-24 06:00:00', '2024-04-04 10:02:00'),
  (3, 13, 42, 129.99, NULL, '2024-04-04 10:03:00'),
  (4, 21, 42, 180.00, NULL, '2024-06-01 21:02:00'),
  (5, 27, 15, 150.00, NULL, '2024-06-16 16:01:00'),
  (6, 30, 8, 220.00, NULL, '2024-06-18 19:01:00');
-- @@

-- ---------------------------------------------------------------------------------------------
-- Blog posts. Bodies embed /uploads/journal-images/... paths inside the text, not just in
-- cover_image, so moving uploads means rewriting text too.
CREATE TABLE `journals` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `author_id` INT UNSIGNED NOT NULL,
  `title` VARCHAR(255) NOT NULL,
  `slug` VARCHAR(255) NOT NULL,
  `excerpt` VARCHAR(500) DEFAULT NULL,
  `body` LONGTEXT NOT NULL,
  `cover_image` VARCHAR(255) DEFAULT NULL COMMENT 'path under /uploads/journal-images',
  `status` ENUM('draft','published','archived') NOT NULL DEFAULT 'draft',
  `tags` SET('news','recipes','guides','vendors','behind-the-scenes') NOT NULL DEFAULT '',
  `meta` JSON DEFAULT NULL,
  `view_count` INT UNSIGNED NOT NULL DEFAULT 0,
  `published_at` DATETIME DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `journals_slug_unique` (`slug`),
  KEY `journals_status_published` (`status`, `published_at` DESC),
  CONSTRAINT `journals_author_id_fk` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Blog ("journal") posts';

INSERT INTO `journals` (`id`, `author_id`, `title`, `slug`, `excerpt`, `body`, `cover_image`, `status`, `tags`, `meta`, `view_count`, `published_at`, `created_at`, `updated_at`) VALUES
  (1, 1, 'Welcome to MarketHub', 'welcome-to-markethub', 'Independent makers, one basket.', '# Welcome to MarketHub\n\nWe started MarketHub so that small workshops could sell next to each other.\n\n![Our first market stall](/uploads/journal-images/2019/welcome-stall.jpg)\n\nThanks for being here!', '/uploads/journal-images/2019/welcome-cover.jpg', 'published', 'news', '{"seo":{"title":"Welcome to MarketHub","description":"Independent makers, one basket."},"reading_minutes":2}', 18234, '2019-04-15 09:00:00', '2019-04-14 16:00:00', '2021-01-10 10:00:00'),
  (2, 31, 'Dans l''atelier : comment naît une lampe « Lune »', 'atelier-lampe-lune', 'Du tour de potier à l''abat-jour en lin.', '<p>Chaque lampe commence par 2,4 kg de grès.</p>\n<p><img src="/uploads/journal-images/2020/lune-tour.jpg" alt="Le tour"> <img src="/uploads/journal-images/2020/lune-four.jpg" alt="Le four à 1 280 °C"></p>\n<p>Voir aussi <a href="/products/lampe-de-chevet-lune">la lampe</a>.</p>', '/uploads/journal-images/2020/lune-cover.jpg', 'published', 'vendors,behind-the-scenes', '{"seo":{"title":"Comment naît une lampe"},"lang":"fr"}', 4211, '2020-02-03 08:00:00', '2020-01-28 18:00:00', '2020-02-03 08:00:00'),
  (3, 2, 'Pour-over at home: a 5-step guide', 'pour-over-guide', 'Grind, bloom, pour, wait, enjoy.', '## You need\n\n- 15 g coffee\n- 250 g water at 94 °C\n\n1. Rinse the filter\n2. Bloom for 30 s\n3. Pour in circles\n\n> "Coffee is a language in itself." — Jackie Chan\n\n![Bloom](/uploads/journal-images/2021/pour-over-bloom.png)', '/uploads/journal-images/2021/pour-over-cover.png', 'published', 'recipes,guides', '{"seo":{"title":"Pour-over guide"},"recipe":{"dose_g":15,"water_g":250,"ratio":"1:16.7","temp_c":94}}', 9876, '2021-03-01 07:30:00', '2021-02-25 12:00:00', '2022-06-06 06:06:06'),
  (4, 6, '万年筆のインクの選び方', 'choosing-fountain-pen-ink', '色彩雫シリーズを中心に、季節ごとのおすすめインクを紹介します。', '春は「紫陽花」、夏は「天色」、秋は「紅葉」、冬は「冬将軍」。\n\n![インク瓶](/uploads/journal-images/2022/ink-bottles.jpg)\n\n※ 価格は税込です。', '/uploads/journal-images/2022/ink-cover.jpg', 'published', 'guides,vendors', '{"lang":"ja","seo":{"title":"万年筆のインクの選び方"}}', 3120, '2022-04-01 00:00:00', '2022-03-28 09:00:00', '2022-04-01 00:00:00'),
  (5, 1, 'Black Friday 2023: what sold', 'black-friday-2023', NULL, 'Top sellers: headphones 🎧, cast-iron pans 🍳 and wool socks 🧦.\n\nTotal orders: **3×** a normal Friday.\n\n<!-- TODO: add chart -->', NULL, 'published', 'news', NULL, 1543, '2023-11-28 10:00:00', '2023-11-27 17:00:00', '2023-11-28 10:00:00'),
  -- draft: never published, published_at stays NULL
  (6, 34, 'How to return an item', 'how-to-return-an-item', 'Draft for the help centre.', 'Step 1: open your order.\nStep 2: click "Return".\nStep 3: print the label (C:\\Users\\ines\\Desktop\\label.pdf was the example path in the screenshot).', '/uploads/journal-images/drafts/returns.jpg', 'draft', 'guides', '{}', 0, NULL, '2024-05-30 15:00:00', '2024-06-20 15:00:00'),
  (7, 15, 'Vinterens strikkemønstre', 'vinterens-strikkemonstre', 'Fem mønstre fra Gotland.', 'Mønster nr. 1: «Snøkrystall».\n\n![Snøkrystall](/uploads/journal-images/2023/snokrystall.jpg)\n![Votter](/uploads/journal-images/2023/votter.jpg)', '/uploads/journal-images/2023/strikk-cover.jpg', 'archived', 'vendors,behind-the-scenes', '{"lang":"nb"}', 802, '2023-01-12 08:00:00', '2023-01-10 08:00:00', '2024-01-12 08:00:00'),
  -- published_at zero date in a nullable column: the old CMS wrote it when "publish later" was left blank
  (8, 7, '龙井茶的冲泡方法', 'longjing-brewing', '80 °C, 3 g, 150 ml.', '水温八十度，茶叶三克。\n\n![龙井](/uploads/journal-images/2024/longjing.jpg)', '/uploads/journal-images/2024/longjing-cover.jpg', 'draft', 'recipes', '{"lang":"zh"}', 12, '0000-00-00 00:00:00', '2024-04-02 10:00:00', '2024-04-02 10:00:00');
-- @@

-- ---------------------------------------------------------------------------------------------
CREATE TABLE `support_tickets` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `user_id` INT UNSIGNED NOT NULL,
  `order_id` INT UNSIGNED DEFAULT NULL,
  `assignee_id` INT UNSIGNED DEFAULT NULL,
  `subject` VARCHAR(200) NOT NULL,
  `message` TEXT NOT NULL,
  `priority` ENUM('low','normal','high','urgent') NOT NULL DEFAULT 'normal',
  `status` ENUM('open','pending','resolved','closed') NOT NULL DEFAULT 'open',
  `time_spent` TIME NOT NULL DEFAULT '00:00:00' COMMENT 'agent time; may exceed 24 hours',
  `first_response_at` TIMESTAMP NULL DEFAULT NULL,
  `closed_at` DATETIME DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  KEY `support_tickets_user_id_fk` (`user_id`),
  KEY `support_tickets_order_id_fk` (`order_id`),
  KEY `support_tickets_assignee_status` (`assignee_id`, `status`),
  CONSTRAINT `support_tickets_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `support_tickets_order_id_fk` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT `support_tickets_assignee_id_fk` FOREIGN KEY (`assignee_id`) REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `support_tickets` (`id`, `user_id`, `order_id`, `assignee_id`, `subject`, `message`, `priority`, `status`, `time_spent`, `first_response_at`, `closed_at`, `created_at`, `updated_at`) VALUES
  (1, 13, 3, 34, 'Where is my order?', 'Hi, the tracking link for MH-2023-00003 shows nothing. Thanks!', 'normal', 'closed', '00:45:00', '2023-02-17 09:12:00', '2023-02-20 10:00:00', '2023-02-17 08:01:00', '2023-02-20 10:00:00'),
  (2, 21, 5, 35, 'Headphones stopped charging 😭', 'They worked for 2 weeks.\nNow the LED blinks red 3× and nothing happens.\n\nSerial: PP-HP-001-7731', 'high', 'resolved', '02:30:00', '2023-04-10 02:00:00', NULL, '2023-04-09 22:00:00', '2023-04-20 10:00:00'),
  (3, 9, 2, 34, 'Vase arrivé cassé', 'Bonjour,\nle vase est arrivé en 3 morceaux (photos jointes).\nPouvez-vous me le remplacer ?\nMerci d''avance,\nChloé', 'normal', 'closed', '01:15:00', '2023-01-27 08:00:00', '2023-02-01 12:00:00', '2023-01-26 19:30:00', '2023-02-01 12:00:00'),
  (4, 12, 17, 35, 'Coupon NOEL2023 not applied', 'I entered NOEL2023 but the total did not change.', 'low', 'resolved', '00:20:00', '2023-12-04 08:00:00', NULL, '2023-12-03 16:30:00', '2023-12-04 08:30:00'),
  (5, 4, NULL, 34, 'Changer mon adresse e-mail', 'Je voudrais utiliser francois@example.fr à la place.', 'low', 'closed', '00:05:00', '2023-06-01 09:00:00', '2023-06-01 09:05:00', '2023-05-31 23:00:00', '2023-06-01 09:05:00'),
  (6, 26, 13, NULL, 'Why was my order cancelled?', 'Order MH-2023-00013 was cancelled without any e-mail.', 'normal', 'open', '00:00:00', NULL, NULL, '2023-09-02 10:00:00', '2023-09-02 10:00:00'),
  -- time_spent above 24 hours
  (7, 21, 22, 35, 'Tracking says delivered but nothing here', 'Carrier says delivered on 25/03, my mailbox is empty. Neighbours too.', 'high', 'pending', '49:30:00', '2024-03-26 08:00:00', NULL, '2024-03-25 18:00:00', '2024-06-01 10:00:00'),
  -- time_spent at TIME's maximum: the agent timer ran for weeks and MariaDB clamped it
  (8, 27, NULL, 34, 'Suspicious logins on my account', 'I got 14 "new login" e-mails from places I have never been.', 'urgent', 'resolved', '838:59:59', '2024-05-02 00:10:00', NULL, '2024-05-02 00:01:00', '2024-06-10 09:00:00'),
  -- pasted from a word processor: tabs, CRLF line ends, non-breaking spaces
  (9, 11, 8, NULL, 'Претензия по заказу', 'Заказ:\tMH-2023-00008\r\nТовар:\tСковорода\r\nПроблема:\tтрещина на ручке\r\n\r\nС уважением, Дмитрий', 'normal', 'open', '00:00:00', NULL, NULL, '2023-06-01 13:00:00', '2023-06-01 13:00:00'),
  (10, 8, 12, 35, '배송 문의 (shipping question)', '언제 도착하나요? When will it arrive?', 'low', 'closed', '00:12:34', '2023-08-09 01:00:00', '2023-08-10 01:00:00', '2023-08-08 23:00:00', '2023-08-10 01:00:00');
-- @@

CREATE TABLE `support_attachments` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `ticket_id` INT UNSIGNED NOT NULL,
  `file_path` VARCHAR(255) NOT NULL COMMENT 'path under /uploads/support-attachments',
  `original_name` VARCHAR(255) NOT NULL,
  `mime_type` VARCHAR(100) NOT NULL DEFAULT 'application/octet-stream',
  `size_bytes` INT UNSIGNED NOT NULL DEFAULT 0,
  `checksum_md5` BINARY(16) DEFAULT NULL,
  `thumbnail` MEDIUMBLOB DEFAULT NULL COMMENT 'small PNG preview rendered at upload',
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  KEY `support_attachments_ticket_id_fk` (`ticket_id`),
  CONSTRAINT `support_attachments_ticket_id_fk` FOREIGN KEY (`ticket_id`) REFERENCES `support_tickets` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A 1x1 PNG, used as the thumbnail blob.
SET @png = FROM_BASE64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==');

INSERT INTO `support_attachments` (`id`, `ticket_id`, `file_path`, `original_name`, `mime_type`, `size_bytes`, `checksum_md5`, `thumbnail`, `created_at`) VALUES
  (1, 3, '/uploads/support-attachments/2023/01/t3-vase-casse-1.jpg', 'IMG_2041.JPG', 'image/jpeg', 2483211, UNHEX(MD5('t3-vase-casse-1')), @png, '2023-01-26 19:31:00'),
  (2, 3, '/uploads/support-attachments/2023/01/t3-vase-casse-2.jpg', 'IMG_2042 (1).JPG', 'image/jpeg', 2290004, UNHEX(MD5('t3-vase-casse-2')), @png, '2023-01-26 19:31:05'),
  (3, 3, '/uploads/support-attachments/2023/01/t3-facture.pdf', 'reçu-commande n°2.pdf', 'application/pdf', 88412, UNHEX(MD5('t3-facture')), NULL, '2023-01-26 19:31:30'),
  (4, 2, '/uploads/support-attachments/2023/04/t2-screenshot.png', 'screen shot 🙃.png', 'image/png', 512330, UNHEX(MD5('t2-screenshot')), @png, '2023-04-09 22:01:00'),
  -- non-ASCII file name inside the stored path
  (5, 7, '/uploads/support-attachments/2024/03/t7-配達記録.png', '配達記録.png', 'image/png', 120443, UNHEX(MD5('t7-haitatsu')), @png, '2024-03-25 18:02:00'),
  (6, 8, '/uploads/support-attachments/2024/05/t8-login-history.csv', 'login history.csv', 'text/csv', 4096, UNHEX(MD5('t8-login-history')), NULL, '2024-05-02 00:02:00'),
  (7, 9, '/uploads/support-attachments/2023/06/t9-pretenziya.docx', 'Претензия.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 23801, UNHEX(MD5('t9-pretenziya')), NULL, '2023-06-01 13:01:00'),
  -- zero-byte upload
  (8, 10, '/uploads/support-attachments/2023/08/t10-box.heic', 'IMG_0001.HEIC', 'image/heic', 0, NULL, NULL, '2023-08-08 23:01:00');
-- @@

-- ---------------------------------------------------------------------------------------------
-- replaced_by_id is a second self-referencing foreign key (token rotation chain).
CREATE TABLE `refresh_tokens` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `user_id` INT UNSIGNED NOT NULL,
  `token_hash` BINARY(32) NOT NULL COMMENT 'SHA-256 of the token; the token itself is never stored',
  `family_id` CHAR(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  `replaced_by_id` INT UNSIGNED DEFAULT NULL,
  `user_agent` VARCHAR(512) DEFAULT NULL,
  `expires_at` DATETIME NOT NULL,
  `revoked_at` DATETIME(3) DEFAULT NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `refresh_tokens_token_hash_unique` (`token_hash`),
  KEY `refresh_tokens_user_id_fk` (`user_id`),
  KEY `refresh_tokens_family_id` (`family_id`),
  CONSTRAINT `refresh_tokens_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `refresh_tokens_replaced_by_fk` FOREIGN KEY (`replaced_by_id`) REFERENCES `refresh_tokens` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `refresh_tokens` (`id`, `user_id`, `token_hash`, `family_id`, `replaced_by_id`, `user_agent`, `expires_at`, `revoked_at`, `created_at`) VALUES
  (1, 1, UNHEX(SHA2('rt-1-a', 256)), '6f1c2a9e-3b1d-4c8e-9a7f-0d2e5b8c1a01', NULL, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15', '2024-07-21 09:15:22', NULL, '2024-06-21 09:15:22.123'),
  (2, 9, UNHEX(SHA2('rt-9-a', 256)), 'b3e4f5a6-1c2d-4e3f-8a9b-0c1d2e3f4a02', NULL, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)', '2024-07-19 20:02:02', NULL, '2024-06-19 20:02:02.500'),
  (3, 21, UNHEX(SHA2('rt-21-c', 256)), 'c0ffee00-0000-4000-8000-000000000003', NULL, 'MarketHubApp/2.3.1 (Android 14)', '2024-07-21 21:21:21', NULL, '2024-06-21 21:21:21.021'),
  (4, 21, UNHEX(SHA2('rt-21-b', 256)), 'c0ffee00-0000-4000-8000-000000000003', 3, 'MarketHubApp/2.3.1 (Android 14)', '2024-07-14 21:00:00', '2024-06-21 21:21:21.020', '2024-06-14 21:00:00.000'),
  (5, 21, UNHEX(SHA2('rt-21-a', 256)), 'c0ffee00-0000-4000-8000-000000000003', 4, 'MarketHubApp/2.3.0 (Android 14)', '2024-07-07 21:00:00', '2024-06-14 21:00:00.001', '2024-06-07 21:00:00.000'),
  (6, 27, UNHEX(SHA2('rt-27-a', 256)), 'deadbeef-0000-4000-8000-000000000006', NULL, 'curl/8.4.0', '2024-06-01 00:00:00', '2024-05-02 00:10:00.999', '2024-05-01 23:50:00.000'),
  (7, 34, UNHEX(SHA2('rt-34-a', 256)), '11111111-2222-4333-8444-555555555507', NULL, 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', '2024-07-21 08:30:00', NULL, '2024-06-21 08:30:00.000'),
  (8, 6, UNHEX(SHA2('rt-6-a', 256)), 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c08', NULL, NULL, '2023-01-01 00:00:00', NULL, '2022-12-01 00:00:00.000');
-- @@

-- express-session store. The sid uses a binary collation: two sessions below differ only by case.
CREATE TABLE `user_sessions` (
  `sid` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `user_id` INT UNSIGNED DEFAULT NULL,
  `expires` DATETIME DEFAULT NULL,
  `data` MEDIUMTEXT NOT NULL COMMENT 'JSON written by express-session, stored as plain text',
  `ip` VARBINARY(16) DEFAULT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`sid`),
  KEY `user_sessions_user_id_fk` (`user_id`),
  KEY `user_sessions_expires` (`expires`),
  CONSTRAINT `user_sessions_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `user_sessions` (`sid`, `user_id`, `expires`, `data`, `ip`, `created_at`, `updated_at`) VALUES
  ('Zx3kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', 1, '2024-06-22 09:15:22', '{"cookie":{"originalMaxAge":86400000,"expires":"2024-06-22T09:15:22.000Z","httpOnly":true,"path":"/"},"passport":{"user":1},"avatar":"/uploads/user-avatars/u1.jpg"}', INET6_ATON('192.0.2.10'), '2024-06-21 09:15:22', '2024-06-21 09:15:22'),
  -- same sid as above except for letter case
  ('zx3kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', 9, '2024-06-20 20:02:02', '{"cookie":{"originalMaxAge":86400000,"expires":"2024-06-20T20:02:02.000Z","httpOnly":true,"path":"/"},"passport":{"user":9},"flash":{"success":["Article ajouté au panier ✔"]}}', INET6_ATON('2001:db8::9'), '2024-06-19 20:02:02', '2024-06-19 20:02:02'),
  ('sJ8kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', NULL, '2024-06-22 11:02:00', '{"cookie":{"originalMaxAge":86400000,"expires":"2024-06-22T11:02:00.000Z","httpOnly":true,"path":"/"},"cartId":6}', INET6_ATON('198.51.100.77'), '2024-06-21 11:00:00', '2024-06-21 11:02:00'),
  ('aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY', NULL, '2024-06-21 15:30:00', '{"cookie":{"originalMaxAge":86400000,"expires":"2024-06-21T15:30:00.000Z","httpOnly":true,"path":"/"},"cartId":7}', INET6_ATON('203.0.113.5'), '2024-06-20 15:30:00', '2024-06-20 15:30:00'),
  ('q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6', 21, '2024-06-22 21:21:21', '{"cookie":{"originalMaxAge":86400000,"expires":"2024-06-22T21:21:21.000Z","httpOnly":true,"path":"/"},"passport":{"user":21},"lastSearch":"🦄 mug"}', INET6_ATON('2001:db8:85a3::8a2e:370:7334'), '2024-06-21 21:21:21', '2024-06-21 21:21:21'),
  -- expired long ago; expires NULL means "session cookie" in the old store
  ('old-session-2019-0001', 5, '2019-07-15 14:22:31', '{"cookie":{"originalMaxAge":null,"httpOnly":true,"path":"/"},"passport":{"user":5}}', NULL, '2019-07-14 14:22:31', '2019-07-14 14:22:31'),
  ('old-session-2019-0002', NULL, NULL, '{"cookie":{"originalMaxAge":null,"httpOnly":true,"path":"/"}}', NULL, '2019-07-14 14:30:00', '2019-07-14 14:30:00');
-- @@

-- ---------------------------------------------------------------------------------------------
-- Analytics with no primary key. The tracking pixel fired twice on some pages, so several rows
-- are exact duplicates of each other.
CREATE TABLE `page_views` (
  `viewed_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `session_id` VARCHAR(64) DEFAULT NULL,
  `user_id` INT UNSIGNED DEFAULT NULL COMMENT 'no foreign key on purpose: keeps history of deleted users',
  `path` VARCHAR(512) NOT NULL,
  `referrer` VARCHAR(512) DEFAULT NULL,
  `duration_ms` MEDIUMINT UNSIGNED DEFAULT NULL,
  KEY `page_views_viewed_at` (`viewed_at`),
  KEY `page_views_path` (`path`(100))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO `page_views` (`viewed_at`, `session_id`, `user_id`, `path`, `referrer`, `duration_ms`) VALUES
  ('2024-06-21 09:15:30', 'Zx3kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', 1, '/admin/orders', NULL, 5300),
  ('2024-06-21 11:00:05', 'sJ8kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', NULL, '/', 'https://www.google.com/', 1200),
  -- exact duplicates (double-fired pixel)
  ('2024-06-21 11:00:40', 'sJ8kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', NULL, '/products/earl-grey-supreme', '/', 8000),
  ('2024-06-21 11:00:40', 'sJ8kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', NULL, '/products/earl-grey-supreme', '/', 8000),
  ('2024-06-21 11:01:50', 'sJ8kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', NULL, '/products/matcha-ceremonial-30g', '/products/earl-grey-supreme', 4100),
  ('2024-06-21 11:02:10', 'sJ8kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', NULL, '/cart', NULL, NULL),
  ('2024-06-19 20:00:00', 'zx3kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', 9, '/products/lampe-de-chevet-lune', 'https://www.instagram.com/', 15000),
  ('2024-06-19 20:00:00', 'zx3kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', 9, '/products/lampe-de-chevet-lune', 'https://www.instagram.com/', 15000),
  ('2024-06-19 20:00:00', 'zx3kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', 9, '/products/lampe-de-chevet-lune', 'https://www.instagram.com/', 15000),
  ('2024-06-19 20:01:30', 'zx3kq0aZ3mX1vR7tY2uW9pL4nB6cD5eF', 9, '/products/miroir-soleil-dore', '/products/lampe-de-chevet-lune', 9000),
  ('2024-06-21 21:05:00', 'q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6', 21, '/search?q=%F0%9F%A6%84+mug', NULL, 700),
  ('2024-06-21 21:06:00', 'q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6', 21, '/products/wireless-headphones-anc', '/search?q=headphones', 22000),
  ('2024-06-20 15:30:00', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY', NULL, '/products/paper-filters-100', NULL, 3000),
  -- user 38 was deleted; the view row stays
  ('2024-06-01 03:00:05', NULL, 38, '/register', NULL, 90),
  ('2024-06-01 03:00:05', NULL, 38, '/register', NULL, 90),
  ('2024-06-01 03:00:06', NULL, 39, '/register', NULL, 88),
  -- a very long tracking URL
  ('2024-05-15 10:00:00', NULL, 10, CONCAT('/products/usb-c-cable-2m-100w?', REPEAT('utm_content=abcdefghij&', 20)), 'https://l.facebook.com/', 16777215),
  -- TIMESTAMP range edges
  ('1970-01-01 00:00:01', NULL, NULL, '/health', NULL, 0),
  ('2038-01-19 03:14:07', NULL, NULL, '/health', NULL, 0);
-- @@

-- Search-box statistics: an old MyISAM table (no transactions, no foreign keys).
CREATE TABLE `search_terms` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `term` VARCHAR(100) NOT NULL,
  `hits` INT UNSIGNED NOT NULL DEFAULT 0,
  `last_searched_at` DATETIME DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `search_terms_term_unique` (`term`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='MyISAM: never converted to InnoDB';

INSERT INTO `search_terms` (`id`, `term`, `hits`, `last_searched_at`) VALUES
  (1, 'lampe', 1204, '2024-06-21 10:00:00'),
  (2, 'café', 988, '2024-06-21 11:00:00'),
  (3, 'マスキングテープ', 321, '2024-06-20 02:00:00'),
  (4, 'headphones', 2410, '2024-06-21 21:06:00'),
  (5, '🦄 mug', 1, '2024-06-21 21:05:00'),
  (6, 'usb-c', 777, '2024-06-19 09:00:00'),
  -- the load-test script saturated this counter at INT UNSIGNED max
  (7, 'test', 4294967295, '2022-01-01 00:00:00'),
  (8, '  leading and trailing spaces  ', 3, '2023-03-03 03:03:03'),
  (9, '<script>alert(1)</script>', 2, '2023-07-07 07:07:07'),
  (10, 'wool socks', 145, '2023-11-24 00:10:00');
-- @@

-- Newsletter list imported from the first shop: latin1 (MariaDB's latin1 is cp1252, so '€' is
-- 0x80), with one utf8mb4 column added later.
CREATE TABLE `newsletter_subscribers` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `email` VARCHAR(255) NOT NULL,
  `full_name` VARCHAR(100) NOT NULL DEFAULT '',
  `city` VARCHAR(100) DEFAULT NULL,
  `note` VARCHAR(255) DEFAULT NULL,
  `greeting` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL COMMENT 'added in 2021, utf8mb4',
  `confirmed` TINYINT(1) NOT NULL DEFAULT 0,
  `subscribed_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `newsletter_subscribers_email` (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci COMMENT='Imported from the 2016 shop (latin1)';

INSERT INTO `newsletter_subscribers` (`id`, `email`, `full_name`, `city`, `note`, `greeting`, `confirmed`, `subscribed_at`) VALUES
  (1, 'cafe.lover@example.fr', 'Amélie Poulain', 'Paris', 'Café crème tous les matins', 'Bonjour 👋', 1, '2016-05-01 08:00:00'),
  -- cp1252-only characters: € (0x80) and — (0x97)
  (2, 'promo@example.fr', 'Service Promo', 'Lyon', '€ 5 de réduction — offre spéciale', NULL, 1, '2016-06-01 08:00:00'),
  -- Œ (0x8C), Ÿ (0x9F), « » and ï
  (3, 'yves@example.ca', 'Yves Ÿ. Œuvre', 'Montréal', 'naïve façade, «guillemets»', 'Allô', 0, '2016-07-14 12:00:00'),
  (4, 'hans@example.de', 'Hans Größe', 'München', 'Grüße aus Bayern, 20 °C, ±2', NULL, 1, '2017-01-01 00:00:00');

-- Double-encoded: UTF-8 bytes of 'Crème brûlée' stored as latin1 characters, as the 2016
-- importer did. Reads back as 'CrÃ¨me brÃ»lÃ©e'.
INSERT INTO `newsletter_subscribers` (`id`, `email`, `full_name`, `city`, `note`, `confirmed`, `subscribed_at`) VALUES
  (5, 'mojibake@example.fr', CONVERT(CAST(CONVERT('Crème brûlée' USING utf8mb4) AS BINARY) USING latin1), 'Besançon', CONVERT(CAST(CONVERT('déjà vu' USING utf8mb4) AS BINARY) USING latin1), 1, '2016-09-09 09:09:09');

-- The legacy server's empty sql_mode silently replaced characters latin1 cannot hold with '?'.
SET SESSION sql_mode = '';
INSERT INTO `newsletter_subscribers` (`id`, `email`, `full_name`, `city`, `note`, `greeting`, `confirmed`, `subscribed_at`) VALUES
  (6, 'taro@example.jp', '山田 太郎', '東京', 'stored as ?? ??', 'こんにちは', 0, '2018-03-03 03:03:03');
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
-- @@

-- ---------------------------------------------------------------------------------------------
-- Capitalised table name and camelCase / capitalised columns (`User`, `Action`): written by the
-- original audit middleware before the project switched to snake_case.
CREATE TABLE `AuditLog` (
  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `User` INT UNSIGNED DEFAULT NULL COMMENT 'acting user; no foreign key so entries outlive accounts',
  `Action` VARCHAR(64) NOT NULL,
  `entityType` VARCHAR(64) NOT NULL,
  `entityId` VARCHAR(64) DEFAULT NULL,
  `Payload` JSON DEFAULT NULL,
  `ipAddress` VARCHAR(45) DEFAULT NULL,
  `createdAt` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  KEY `AuditLog_User_createdAt` (`User`, `createdAt` DESC),
  KEY `AuditLog_entity` (`entityType`, `entityId`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Admin audit trail ("who changed what")';

INSERT INTO `AuditLog` (`id`, `User`, `Action`, `entityType`, `entityId`, `Payload`, `ipAddress`, `createdAt`) VALUES
  (1, 1, 'login', 'User', '1', NULL, '192.0.2.10', '2024-06-21 09:15:22.123456'),
  (2, 1, 'update', 'Product', '8', '{"before":{"is_featured":1},"after":{"is_featured":2}}', '192.0.2.10', '2024-06-21 09:16:00.000001'),
  (3, 34, 'refund', 'Order', '5', '{"amount":"199.00","currency":"EUR","reason":"défaut de charge"}', '198.51.100.4', '2023-04-20 10:00:00.5'),
  (4, 1, 'delete', 'User', '38', '{"email":"spam.bot.1@example.net","reason":"spam"}', '192.0.2.10', '2024-06-01 09:00:00.000000'),
  (5, 1, 'delete', 'User', '39', '{"email":"spam.bot.2@example.net","reason":"spam"}', '192.0.2.10', '2024-06-01 09:00:00.000000'),
  (6, 1, 'delete', 'Order', '7', '{"reason":"test order"}', '192.0.2.10', '2023-05-02 12:00:00.999999'),
  -- acting user since deleted: `User` points nowhere
  (7, 38, 'login_failed', 'User', '38', '{"attempts":17}', '203.0.113.66', '2024-06-01 03:00:10.250000'),
  (8, NULL, 'cron', 'Session', NULL, '{"purged":1204}', NULL, '2024-06-21 03:00:00.000000');
-- @@

-- Saved reports from the admin report builder. The table is named after a reserved word and so
-- are most of its columns.
CREATE TABLE `select` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(100) NOT NULL,
  `from` DATE NOT NULL COMMENT 'report period start',
  `to` DATE DEFAULT NULL COMMENT 'report period end; NULL = today',
  `where` VARCHAR(255) DEFAULT NULL COMMENT 'filter typed by the admin',
  `order` VARCHAR(50) NOT NULL DEFAULT 'created_at DESC',
  `limit` SMALLINT UNSIGNED NOT NULL DEFAULT 100,
  `created_by` INT UNSIGNED DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `select_created_by_fk` (`created_by`),
  CONSTRAINT `select_created_by_fk` FOREIGN KEY (`created_by`) REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Saved admin reports';

INSERT INTO `select` (`id`, `name`, `from`, `to`, `where`, `order`, `limit`, `created_by`) VALUES
  (1, 'Monthly revenue', '2024-01-01', NULL, 'status IN (''paid'',''shipped'',''delivered'')', 'order_month DESC', 12, 1),
  (2, 'Big orders', '2023-01-01', '2023-12-31', 'total > 200', 'total DESC', 50, 1),
  (3, 'Open tickets', '2020-01-01', NULL, 'status = "open"; -- careful', 'created_at', 65535, 34);
-- @@

-- ---------------------------------------------------------------------------------------------
-- Fixture tables: one row per awkward value a migration has to carry over exactly.

-- Integer extremes, decimals, floating point, bits and literal defaults.
CREATE TABLE `legacy_oddities` (
  `id` TINYINT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'TINYINT key: room for 255 rows',
  `label` VARCHAR(64) NOT NULL,
  `tiny_s` TINYINT DEFAULT NULL,
  `tiny_u` TINYINT UNSIGNED DEFAULT NULL,
  `small_s` SMALLINT DEFAULT NULL,
  `small_u` SMALLINT UNSIGNED DEFAULT NULL,
  `medium_s` MEDIUMINT DEFAULT NULL,
  `medium_u` MEDIUMINT UNSIGNED DEFAULT NULL,
  `int_s` INT DEFAULT NULL,
  `int_u` INT UNSIGNED DEFAULT NULL,
  `big_s` BIGINT DEFAULT NULL,
  `big_u` BIGINT UNSIGNED DEFAULT NULL COMMENT 'max 18446744073709551615 does not fit a signed bigint',
  `zerofilled` INT(6) UNSIGNED ZEROFILL DEFAULT NULL,
  `flag` TINYINT(1) DEFAULT NULL COMMENT 'boolean by declaration only',
  `money` DECIMAL(10,2) DEFAULT NULL,
  `wide_decimal` DECIMAL(65,30) DEFAULT NULL,
  `unsigned_decimal` DECIMAL(8,3) UNSIGNED DEFAULT NULL,
  `ratio` FLOAT DEFAULT NULL,
  `measure` DOUBLE DEFAULT NULL,
  `legacy_double` DOUBLE(10,4) DEFAULT NULL,
  `bit1` BIT(1) NOT NULL DEFAULT b'1',
  `bit5` BIT(5) NOT NULL DEFAULT b'00101',
  `bit8` BIT(8) DEFAULT b'10000001',
  `bit64` BIT(64) DEFAULT NULL,
  `int_default` INT NOT NULL DEFAULT -1,
  `str_default` VARCHAR(20) NOT NULL DEFAULT 'n/a',
  `null_default` VARCHAR(20) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Numeric edge cases';

INSERT INTO `legacy_oddities` (`id`, `label`, `tiny_s`, `tiny_u`, `small_s`, `small_u`, `medium_s`, `medium_u`, `int_s`, `int_u`, `big_s`, `big_u`, `zerofilled`, `flag`, `money`, `wide_decimal`, `unsigned_decimal`, `ratio`, `measure`, `legacy_double`, `bit1`, `bit5`, `bit8`, `bit64`) VALUES
  -- lower bound of every type; flag holds -1
  (1, 'minimum', -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, 0, -1, -99999999.99, -99999999999999999999999999999999999.999999999999999999999999999999, 0.000, -3.40282e38, -1.7976931348623157e308, -999999.9999, b'0', b'00000', b'00000000', b'0'),
  -- upper bound of every type; flag holds 2
  (2, 'maximum', 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 4294967295, 2, 99999999.99, 99999999999999999999999999999999999.999999999999999999999999999999, 99999.999, 3.40282e38, 1.7976931348623157e308, 999999.9999, b'1', b'11111', b'11111111', b'1111111111111111111111111111111111111111111111111111111111111111'),
  -- smallest magnitudes: 5e-324 is the smallest subnormal double
  (3, 'tiny magnitudes', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0.01, 0.000000000000000000000000000001, 0.001, 1e-30, 5e-324, 0.0001, b'0', b'00001', b'00000001', b'1'),
  -- binary floating point cannot hold 0.1 exactly; 0.1 + 0.2 as a double
  (4, 'inexact fractions', 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 42, 1, 0.10, 0.100000000000000000000000000000, 0.100, 0.1, 0.30000000000000004, 0.1, b'1', b'10000', b'01111111', b'1000000000000000000000000000000000000000000000000000000000000000'),
  -- small unsigned bigint values; flag holds 0
  (5, 'typical', 42, 42, 1024, 1024, 65536, 65536, 1000000, 3000000000, 1234567890123, 42, 7, 0, 19.99, 3.141592653589793238462643383279, 12.500, 2.5, 6.02214076e23, 3.1416, b'1', b'10101', b'00101010', b'101010');

-- Only the label: every other column takes its default (b'1', b'00101', b'10000001', -1, 'n/a', NULL).
INSERT INTO `legacy_oddities` (`id`, `label`) VALUES (6, 'defaults only');

INSERT INTO `legacy_oddities` (`id`, `label`, `tiny_s`, `tiny_u`, `small_s`, `small_u`, `medium_s`, `medium_u`, `int_s`, `int_u`, `big_s`, `big_u`, `zerofilled`, `flag`, `money`, `wide_decimal`, `unsigned_decimal`, `ratio`, `measure`, `legacy_double`, `bit8`, `bit64`, `null_default`) VALUES
  (7, 'all null', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
-- @@

-- Dates and times: zero dates, partial dates, invalid days, range edges, fractional seconds,
-- TIME beyond 24 hours and negative, YEAR.
CREATE TABLE `legacy_dates` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `label` VARCHAR(64) NOT NULL,
  `d` DATE NOT NULL DEFAULT '0000-00-00',
  `d_null` DATE DEFAULT NULL,
  `dt` DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
  `dt_null` DATETIME DEFAULT NULL,
  `dt3` DATETIME(3) DEFAULT NULL,
  `dt6` DATETIME(6) DEFAULT NULL,
  `ts` TIMESTAMP NULL DEFAULT NULL,
  `ts_nn` TIMESTAMP NOT NULL DEFAULT '0000-00-00 00:00:00',
  `ts6` TIMESTAMP(6) NULL DEFAULT NULL,
  `t` TIME DEFAULT NULL,
  `t3` TIME(3) DEFAULT NULL,
  `y` YEAR DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `legacy_dates_d` (`d`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Temporal edge cases';

SET SESSION sql_mode = '';
INSERT INTO `legacy_dates` (`id`, `label`, `d`, `d_null`, `dt`, `dt_null`, `dt3`, `dt6`, `ts`, `ts_nn`, `ts6`, `t`, `t3`, `y`) VALUES
  -- zero date in NOT NULL and nullable columns of every temporal type; YEAR 0000
  (1, 'zero dates', '0000-00-00', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000', '0000-00-00 00:00:00.000000', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000', '00:00:00', '00:00:00.000', 0000),
  -- month 00, day 00, year 0000 with a real month and day
  (2, 'partial dates', '2024-00-10', '2024-05-00', '2024-00-00 12:00:00', '0000-06-15 08:30:00', '2024-07-00 10:00:00.250', '2024-00-01 00:00:00.000001', NULL, '2024-01-01 00:00:00', NULL, '24:00:00', '23:59:59.999', 2024),
  -- range edges: DATE/DATETIME 1000..9999, TIMESTAMP 1970..2038, TIME +-838:59:59, YEAR 1901..2155
  (3, 'upper range edges', '9999-12-31', '9999-12-31', '9999-12-31 23:59:59', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07', '2038-01-19 03:14:07', '2038-01-19 03:14:07.999999', '838:59:59', '838:59:59.000', 2155),
  (4, 'lower range edges', '1000-01-01', '0001-01-01', '1000-01-01 00:00:00', '1899-12-31 23:59:59', '1000-01-01 00:00:00.000', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01', '1970-01-01 00:00:01', '1970-01-01 00:00:01.000001', '-838:59:59', '-838:59:59.000', 1901),
  -- negative TIME and sub-second precision; 02:30 on 2024-03-31 does not exist in Europe/Paris
  (5, 'fractions and negative time', '2024-02-29', '1582-10-10', '2024-03-31 02:30:00', '2024-10-27 02:30:00', '2024-02-29 23:59:59.999', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56', '2024-06-21 09:15:22', '2024-02-29 12:34:56.000001', '-00:00:01', '-12:34:56.789', 1999),
  -- only the label: NOT NULL columns fall back to their zero-date defaults
  (6, 'all null', DEFAULT, NULL, DEFAULT, NULL, NULL, NULL, NULL, DEFAULT, NULL, NULL, NULL, NULL);

-- Day 31 in a 30-day month and February 30th: only accepted with ALLOW_INVALID_DATES.
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
INSERT INTO `legacy_dates` (`id`, `label`, `d`, `d_null`, `dt`, `dt_null`, `dt3`, `dt6`, `ts`, `ts_nn`, `ts6`, `t`, `t3`, `y`) VALUES
  (7, 'invalid days', '2023-02-31', '2023-04-31', '2023-02-30 10:00:00', '2021-06-31 23:59:59', '2023-02-29 00:00:00.500', '2022-11-31 11:11:11.111111', NULL, '2023-03-01 00:00:00', NULL, '100:00:00', NULL, NULL);
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
-- @@

-- Strings: NUL characters, control characters, quotes and backslashes, emoji, trailing spaces,
-- every text size, ENUM/SET oddities.
CREATE TABLE `legacy_texts` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `label` VARCHAR(64) NOT NULL,
  `fixed_char` CHAR(10) DEFAULT NULL,
  `var_char` VARCHAR(255) DEFAULT NULL,
  `tiny_text` TINYTEXT DEFAULT NULL,
  `plain_text` TEXT DEFAULT NULL,
  `medium_text` MEDIUMTEXT DEFAULT NULL,
  `long_text` LONGTEXT DEFAULT NULL,
  `size` ENUM('small','medium','large','extra large') DEFAULT NULL,
  `size_required` ENUM('small','medium','large') NOT NULL,
  `vat_rate` ENUM('0','5.5','10','20') DEFAULT NULL COMMENT 'numeric-looking members: the number 1 means the first member, ''0''',
  `colours` SET('red','green','blue') NOT NULL DEFAULT '',
  `case_sensitive` VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `legacy_texts_plain_prefix` (`plain_text`(20))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='String edge cases';

INSERT INTO `legacy_texts` (`id`, `label`, `fixed_char`, `var_char`, `tiny_text`, `plain_text`, `medium_text`, `long_text`, `size`, `size_required`, `vat_rate`, `colours`, `case_sensitive`) VALUES
  -- NUL (0x00) inside, at the end and at the start of strings: PostgreSQL text cannot hold it
  (1, 'nul characters', 'x\0y', CONCAT('before', CHAR(0 USING utf8mb4), 'after'), 'a\0b\0c', 'NUL at the end\0', CONCAT(CHAR(0 USING utf8mb4), 'NUL first'), '\0', 'small', 'small', '20', 'red', 'nul\0'),
  (2, 'whitespace', 'tab\there', 'line1\nline2\r\nline3\rline4', '   leading', 'trailing   ', '\t\n \r', ' ', 'medium', 'medium', '10', 'green', ' '),
  -- \b is backspace (0x08), \Z is ctrl-Z (0x1A)
  (3, 'quotes and escapes', 'O''Brien', 'C:\\Users\\bob\\uploads\\file.jpg', 'it''s "quoted" and `ticked`', 'Robert''); DROP TABLE students;--', '%_ LIKE wildcards, ? and $1 and :name placeholders, {{mustache}}', 'backspace\b ctrl-Z\Z bell', 'large', 'large', '5.5', 'blue', '\\'),
  -- ZWJ sequences, flags, NFC vs NFD (é / é), several scripts, astral-plane characters,
  -- and U+2028 / U+2029 which break naive JavaScript string embedding
  (4, 'emoji and scripts', '🦄🦄🦄', '👨‍👩‍👧‍👦 🇫🇷🇯🇵 🏳️‍🌈', 'é vs é', '日本語テキスト / 中文 / 한국어 / العربية / עברית', '𝕳𝖊𝖑𝖑𝖔 𠜎𠜱', 'line separator  paragraph separator ', 'small', 'small', '0', 'red,green', 'Straße'),
  -- empty strings everywhere (not NULL); colours is the empty set
  (5, 'empty strings', '', '', '', '', '', '', 'small', 'small', '0', '', ''),
  -- CHAR drops trailing spaces on read, VARCHAR keeps them
  (6, 'trailing spaces', 'abc   ', 'abc   ', 'abc   ', 'abc   ', NULL, NULL, NULL, 'small', NULL, 'red,green,blue', 'ABC   '),
  -- 100,000 characters: too long for TEXT; 350,000 bytes of multi-byte characters
  (7, 'large text', NULL, NULL, NULL, NULL, REPEAT('MarketHub ', 10000), REPEAT('€🦄', 50000), 'extra large', 'large', '20', 'blue,green', NULL),
  (8, 'nulls', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'small', NULL, '', NULL);

-- The legacy server's empty sql_mode turned invalid ENUM values into '' (index 0) and dropped
-- unknown SET members; the number 1 selects the first ENUM member, '0'.
SET SESSION sql_mode = '';
INSERT INTO `legacy_texts` (`id`, `label`, `size`, `size_required`, `vat_rate`, `colours`, `case_sensitive`) VALUES
  (9, 'enum error value', 'huge', 'gigantic', 1, 'blue,purple,red,red', 'abc');
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
-- @@

-- Binary strings with arbitrary bytes.
CREATE TABLE `legacy_binaries` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `label` VARCHAR(64) NOT NULL,
  `fixed_bin` BINARY(16) DEFAULT NULL,
  `var_bin` VARBINARY(255) DEFAULT NULL,
  `tiny_blob` TINYBLOB DEFAULT NULL,
  `plain_blob` BLOB DEFAULT NULL,
  `medium_blob` MEDIUMBLOB DEFAULT NULL,
  `long_blob` LONGBLOB DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `legacy_binaries_fixed_bin` (`fixed_bin`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Binary edge cases';

INSERT INTO `legacy_binaries` (`id`, `label`, `fixed_bin`, `var_bin`, `tiny_blob`, `plain_blob`, `medium_blob`, `long_blob`) VALUES
  (1, 'uuid bytes', UNHEX(REPLACE('3f06af63-a93c-11e4-9797-00505690773f', '-', '')), UNHEX('00FF10'), X'00', X'FF', NULL, NULL),
  -- plain_blob holds each byte value 0x00..0xFF once
  (2, 'every byte value', UNHEX('000102030405060708090A0B0C0D0E0F'), UNHEX('00FF10807F0A0D09'), X'5C27225C', X'000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF', NULL, NULL),
  -- 'abc' in BINARY(16) is right-padded with 13 zero bytes; empty values are not NULL
  (3, 'short and empty', 'abc', '', '', '', '', ''),
  -- invalid UTF-8: lone continuation bytes, UTF-16 BOM, code point above U+10FFFF, overlong '/'
  (4, 'invalid utf-8', UNHEX('EFBBBF00000000000000000000000000'), X'C328A0A1', X'EFBBBF', X'FFFE480069', X'F4908080', X'C0AF'),
  (5, 'png and bulk', NULL, X'89504E470D0A1A0A', NULL, NULL, FROM_BASE64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), REPEAT(X'DEADBEEF', 65536)),
  (6, 'nulls', NULL, NULL, NULL, NULL, NULL, NULL);
-- @@

-- JSON (MariaDB: LONGTEXT with a JSON_VALID check; the text is kept exactly as written).
CREATE TABLE `legacy_json` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `label` VARCHAR(64) NOT NULL,
  `doc` JSON DEFAULT NULL,
  `doc_required` JSON NOT NULL DEFAULT '{}',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='JSON edge cases';

INSERT INTO `legacy_json` (`id`, `label`, `doc`, `doc_required`) VALUES
  (1, 'nested object', '{"user":{"id":1,"name":"Camille","roles":["admin","support"],"address":{"city":"Paris","geo":{"lat":48.8566,"lng":2.3522}}},"active":true,"score":null}', '{"a":{"b":{"c":{"d":[1,{"e":"f"}]}}}}'),
  -- literal non-ASCII next to \u escapes (including a surrogate pair for 🦄)
  (2, 'unicode', '{"fr":"Crème brûlée","ja":"抹茶","emoji":"🦄","escaped":"caf\\u00e9 \\ud83e\\udd84","rtl":"مرحبا","quote":"say \\"hi\\"","path":"C:\\\\tmp"}', '["é","é"]'),
  -- keys out of order: a jsonb column would sort them
  (3, 'key order', '{"zeta":1,"alpha":2,"mid":{"b":1,"a":2}}', '{"10":"ten","9":"nine","1":"one"}'),
  -- duplicate keys are valid JSON text; jsonb keeps only the last
  (4, 'duplicate keys', '{"a":1,"a":2}', '{"status":"draft","status":"published"}'),
  -- \u0000 is valid JSON but PostgreSQL jsonb rejects it
  (5, 'escaped nul', '{"note":"before\\u0000after"}', '"\\u0000"'),
  -- numbers beyond double precision and range
  (6, 'big numbers', '{"u64max":18446744073709551615,"huge":123456789012345678901234567890,"precise":0.1000000000000000055511151231257827,"exp":1e400,"neg_zero":-0,"tiny":1e-400}', '[9007199254740993]'),
  -- JSON null versus SQL NULL; top-level scalars
  (7, 'top-level scalars', 'null', '"just a string"'),
  (8, 'numbers and empties', '42', '[]'),
  -- formatting and whitespace are part of the stored text
  (9, 'pretty printed', '{\n  "pretty": true,\n  "list": [ 1, 2, 3 ]\n}', '{ }'),
  (10, 'sql null', NULL, DEFAULT),
  (11, 'deep nesting', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":true}}}}}}}}}}');
-- @@

-- ---------------------------------------------------------------------------------------------
-- Views, triggers, routines and events. Created after the data, as mysqldump does, so the
-- triggers did not touch the rows above.

CREATE VIEW `active_products` AS
  SELECT p.`id`, p.`vendor_id`, v.`name` AS `vendor_name`, p.`category_id`, p.`sku`, p.`name`, p.`slug`,
         p.`price`, p.`currency`, p.`stock`, p.`is_featured`, p.`average_rating`
    FROM `products` p
    JOIN `vendors` v ON v.`id` = p.`vendor_id`
   WHERE p.`is_published` = 1 AND p.`deleted_at` IS NULL AND p.`is_featured` <> -1;

-- MySQL-only functions (IFNULL, GROUP_CONCAT ... SEPARATOR) in a view.
CREATE VIEW `vendor_sales_summary` AS
  SELECT v.`id` AS `vendor_id`, v.`name` AS `vendor_name`,
         COUNT(DISTINCT oi.`order_id`) AS `order_count`,
         IFNULL(SUM(oi.`total_cents`), 0) / 100 AS `revenue`,
         GROUP_CONCAT(DISTINCT IF(oi.`id` IS NULL, NULL, p.`sku`) ORDER BY p.`sku` SEPARATOR ', ') AS `skus_sold`
    FROM `vendors` v
    LEFT JOIN `products` p ON p.`vendor_id` = v.`id`
    LEFT JOIN (`order_items` oi
               JOIN `orders` o ON o.`id` = oi.`order_id` AND o.`status` IN ('paid', 'shipped', 'delivered'))
           ON oi.`product_id` = p.`id`
   GROUP BY v.`id`, v.`name`;
-- @@

CREATE TRIGGER `order_items_after_insert` AFTER INSERT ON `order_items` FOR EACH ROW
  UPDATE `products` SET `stock` = `stock` - NEW.`quantity` WHERE `id` = NEW.`product_id`;
-- @@

CREATE TRIGGER `orders_before_update` BEFORE UPDATE ON `orders` FOR EACH ROW
BEGIN
  IF NEW.`status` = 'shipped' AND OLD.`status` <> 'shipped' AND NEW.`shipped_at` IS NULL THEN
    SET NEW.`shipped_at` = NOW();
  END IF;
  IF NEW.`status` = 'paid' AND NEW.`paid_at` IS NULL THEN
    SET NEW.`paid_at` = NOW(3);
  END IF;
END
-- @@

CREATE PROCEDURE `close_stale_tickets`(IN p_days INT UNSIGNED, OUT p_closed INT)
  MODIFIES SQL DATA
  COMMENT 'Closes resolved tickets nobody touched for p_days days'
BEGIN
  UPDATE `support_tickets`
     SET `status` = 'closed', `closed_at` = NOW()
   WHERE `status` = 'resolved' AND `updated_at` < NOW() - INTERVAL p_days DAY;
  SET p_closed = ROW_COUNT();
END
-- @@

CREATE FUNCTION `product_rating`(p_product_id INT UNSIGNED) RETURNS DECIMAL(3,2)
  READS SQL DATA
  RETURN (SELECT ROUND(AVG(`rating`), 2) FROM `reviews` WHERE `product_id` = p_product_id);
-- @@

-- Events can be created while event_scheduler is OFF. With the sample data both are no-ops
-- even when the scheduler runs: every active coupon is valid until NULL or 2099, and the
-- session purge is disabled.
CREATE EVENT `coupons_expire`
  ON SCHEDULE EVERY 1 DAY STARTS '2024-01-01 03:00:00'
  ON COMPLETION PRESERVE ENABLE
  COMMENT 'Deactivates coupons past valid_until'
  DO UPDATE `coupons` SET `is_active` = b'0' WHERE `valid_until` < CURRENT_DATE AND `is_active` = b'1';

CREATE EVENT `purge_expired_sessions`
  ON SCHEDULE EVERY 1 HOUR STARTS '2024-01-01 00:00:00'
  ON COMPLETION PRESERVE DISABLE
  COMMENT 'Superseded by the app''s own cleanup job'
  DO DELETE FROM `user_sessions` WHERE `expires` < NOW();
