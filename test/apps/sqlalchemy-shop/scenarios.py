"""N+1 scenarios and their traps on SQLAlchemy (Debian's python3-sqlalchemy), one Session each.

Usage: python3 scenarios.py URL lazy|nested|traps
       python3 scenarios.py URL fix "<the line db-optimize printed>"   (runs it verbatim, then walks the rows)
Prints the number of rows walked; the statements go to the PostgreSQL log.
"""
import sys

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, Numeric, String, Text, create_engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, declarative_base, joinedload, raiseload, relationship, selectinload  # noqa: F401 (used by fix lines)

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(BigInteger, primary_key=True)
    email = Column(String(255), nullable=False)
    name = Column(Text, nullable=False)
    orders = relationship("Order", back_populates="user", order_by="Order.id")


class Order(Base):
    __tablename__ = "orders"
    id = Column(BigInteger, primary_key=True)
    user_id = Column(BigInteger, ForeignKey("users.id"), nullable=False)
    status = Column(Text, nullable=False)
    total = Column(Numeric(12, 2), nullable=False)
    user = relationship("User", back_populates="orders")
    items = relationship("Item", order_by="Item.id")


class Item(Base):
    __tablename__ = "items"
    id = Column(BigInteger, primary_key=True)
    order_id = Column(BigInteger, ForeignKey("orders.id"), nullable=False)
    sku = Column(Text, nullable=False)
    quantity = Column(Integer, nullable=False)


def walk(users) -> int:
    return sum(1 + len(o.items) for u in users for o in u.orders)


def traps(session: Session) -> int:
    n = 0
    # keyset pagination: each page starts after the last id of the previous one
    last = 0
    while True:
        page = session.scalars(select(Order).where(Order.id > last).order_by(Order.id).limit(10)).all()
        if not page:
            break
        n += len(page)
        last = page[-1].id
    # uniqueness checks before creating accounts: must see the loop's own writes
    for i in range(6):
        n += len(session.execute(text("SELECT 1 FROM users WHERE email = :e LIMIT 1"), {"e": f"new{i}@example.com"}).all())
    # a batch job reading in chunks of ids
    for start in range(1, 61, 10):
        n += len(session.scalars(select(Item).where(Item.order_id.in_(list(range(start, start + 10))))).all())
    return n


def retries(engine) -> int:
    # a statement that fails, retried: each attempt rolls back its transaction
    for _ in range(5):
        with Session(engine) as s:
            try:
                s.execute(text("SELECT id / (id - id) FROM users WHERE id = :id"), {"id": 1}).all()
            except DBAPIError:
                s.rollback()
    return 0


def main() -> None:
    url = sys.argv[1].replace("postgresql://", "postgresql+psycopg2://", 1)
    mode = sys.argv[2]
    engine = create_engine(url)
    with Session(engine) as session:
        if mode == "lazy":
            # 1 + N: the orders of each user
            print(sum(len(u.orders) for u in session.query(User).order_by(User.id).limit(8).all()))
        elif mode == "nested":
            # nested N + 1: orders per user, then items per order
            print(walk(session.query(User).order_by(User.id).limit(5).all()))
        elif mode == "traps":
            print(traps(session) + retries(engine))
        elif mode == "fix":
            scope = {"session": session, "User": User, "Order": Order, "Item": Item,
                     "selectinload": selectinload, "joinedload": joinedload, "raiseload": raiseload}
            exec(sys.argv[3], scope)  # the printed fix, verbatim
            users = next(v for k, v in scope.items() if isinstance(v, list))
            print(walk(users) if sys.argv[4:] == ["nested"] else sum(len(u.orders) for u in users))
    engine.dispose()


if __name__ == "__main__":
    main()
