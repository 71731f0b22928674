import { DataTypes, Model, Sequelize } from 'sequelize';
import type { Json } from './routes-knex.ts';

class User extends Model {}
class Order extends Model {}
class OrderItem extends Model {}

export function sequelizeRoutes(url: string): { routes: Record<string, () => Promise<Json>>; close: () => Promise<void> } {
  const sequelize = new Sequelize(url, { dialect: 'postgres', logging: false, pool: { max: 5 } });
  const common = { sequelize, underscored: true, timestamps: false };
  User.init({ id: { type: DataTypes.BIGINT, primaryKey: true }, email: DataTypes.STRING, name: DataTypes.TEXT }, { ...common, tableName: 'users' });
  Order.init({ id: { type: DataTypes.BIGINT, primaryKey: true }, status: DataTypes.TEXT, total: DataTypes.DECIMAL }, { ...common, tableName: 'orders' });
  OrderItem.init({ id: { type: DataTypes.BIGINT, primaryKey: true }, quantity: DataTypes.INTEGER, unitPrice: DataTypes.DECIMAL }, { ...common, tableName: 'order_items' });
  User.hasMany(Order, { as: 'orders', foreignKey: 'user_id' });
  Order.belongsTo(User, { as: 'user', foreignKey: 'user_id' });
  Order.hasMany(OrderItem, { as: 'items', foreignKey: 'order_id' });
  type WithGetter = Model & { getOrders(): Promise<(Model & { getItems(): Promise<Model[]> })[]> };
  const routes: Record<string, () => Promise<Json>> = {
    // MN+1: orders per user, then items per order (lazy association getters)
    '/sequelize/users': async () => {
      const users = (await User.findAll({ order: [['id', 'ASC']], limit: 6 })) as WithGetter[];
      const out = [];
      for (const user of users) {
        const orders = await user.getOrders();
        for (const order of orders) await order.getItems();
        out.push({ id: user.get('id'), orders: orders.length });
      }
      return out;
    },
    // the fix db-optimize prints for Sequelize, verbatim: include with the declared aliases, same order and limit
    '/sequelize/users-fixed': async () => {
      const users = await User.findAll({
        order: [['id', 'ASC']],
        limit: 6,
        include: [{ model: Order, as: 'orders', include: [{ model: OrderItem, as: 'items' }] }],
      });
      return users.map((u) => ({ id: u.get('id'), orders: (u.get('orders') as unknown[]).length }));
    },
  };
  return { routes, close: () => sequelize.close() };
}
