// Unpaid orders do not hold stock for ever: a pending order older than the limit is cancelled and
// its quantities go back to the products, once. The cancel is `UPDATE ... WHERE status = 'pending'`
// inside the transaction that restocks, so a concurrent run, a payment arriving at the same moment
// or a second call can never release the same stock twice.
import type { Sequelize } from 'sequelize';
import { defineModels } from '../models/index.js';
import { sequelizeRuntime } from '../models/sequelize-runtime.js';
import type { Row } from '../models/index.js';

export const DEFAULT_PENDING_ORDER_MINUTES = 30;

export interface ExpiredOrders {
  cancelled: number[];
  olderThan: string;
}

export async function expirePendingOrders(sequelize: Sequelize, options: { olderThanMinutes?: number; now?: Date; limit?: number } = {}): Promise<ExpiredOrders> {
  const minutes = options.olderThanMinutes ?? DEFAULT_PENDING_ORDER_MINUTES;
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`olderThanMinutes must be a positive number, got ${minutes}`);
  const { Order, OrderItem, Product } = defineModels(sequelize);
  const { Op } = sequelizeRuntime();
  const before = new Date((options.now ?? new Date()).getTime() - minutes * 60_000);
  const stale = await Order.findAll({
    where: { status: 'pending', createdAt: { [Op.lt]: before } },
    attributes: ['id'], order: [['id', 'ASC']], limit: options.limit ?? 500,
  });
  const cancelled: number[] = [];
  for (const order of stale) {
    const id = order.get('id') as number;
    const released = await sequelize.transaction(async (transaction) => {
      const [changed] = await Order.update({ status: 'cancelled' }, { where: { id, status: 'pending' }, transaction });
      if (changed !== 1) return false;
      const items = await OrderItem.findAll({ where: { orderId: id }, order: [['productId', 'ASC']], transaction });
      for (const item of items as Row[]) {
        const productId = item.get('productId') as number | null;
        if (productId === null) continue;
        await Product.increment({ stock: item.get('quantity') as number }, { where: { id: productId }, transaction });
      }
      return true;
    });
    if (released) cancelled.push(id);
  }
  return { cancelled, olderThan: before.toISOString() };
}
