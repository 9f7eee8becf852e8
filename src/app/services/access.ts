// Who may change a product or see a ticket: the rules the routes and the upload presigner share.
import type { FindOptions } from 'sequelize';
import type { AppContext } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { can, type AuthUser } from '../middleware/auth.js';
import type { Row } from '../models/index.js';

/** The product, if `me` may change it: its vendor's owner, or an admin. */
export async function ownedProduct(ctx: AppContext, me: AuthUser, id: number): Promise<Row> {
  const { Product, Vendor } = ctx.models;
  const product = await Product.findByPk(id, { include: [{ model: Vendor, as: 'vendor', attributes: ['id', 'ownerId'] }] });
  if (!product) throw notFound('product');
  const vendor = product.get('vendor') as Row | null;
  if (!can(me, 'products:any') && vendor?.get('ownerId') !== me.id) throw forbidden('only the vendor selling this product or an admin may change it');
  return product;
}

/** The ticket, if `me` may see it: its author, or support staff; another's ticket reads as missing. */
export async function visibleTicket(ctx: AppContext, me: AuthUser, id: number, options: Omit<FindOptions, 'where'> = {}): Promise<Row> {
  const ticket = await ctx.models.SupportTicket.findByPk(id, options);
  if (!ticket || (ticket.get('userId') !== me.id && !can(me, 'support:all'))) throw notFound('ticket');
  return ticket;
}
