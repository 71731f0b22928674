"""The seed's N+1 (section 2.1): User.orders lazy-loaded in a loop, on SQLAlchemy 1.4.

Usage: python3 app.py URL [lazy|selectin|joined]
Prints the number of orders it counted; the statements go to the PostgreSQL log.
"""
import sys

from sqlalchemy import BigInteger, Column, ForeignKey, Numeric, String, Text, create_engine
from sqlalchemy.orm import declarative_base, relationship, selectinload, joinedload, Session

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(BigInteger, primary_key=True)
    email = Column(String(255), nullable=False)
    name = Column(Text, nullable=False)
    orders = relationship("Order", back_populates="user")  # lazy="select": one query per access


class Order(Base):
    __tablename__ = "orders"
    id = Column(BigInteger, primary_key=True)
    user_id = Column(BigInteger, ForeignKey("users.id"), nullable=False)
    status = Column(Text, nullable=False)
    total = Column(Numeric(12, 2), nullable=False)
    user = relationship("User", back_populates="orders")


def main() -> None:
    url = sys.argv[1].replace("postgresql://", "postgresql+psycopg2://", 1)
    loader = sys.argv[2] if len(sys.argv) > 2 else "lazy"
    engine = create_engine(url)
    with Session(engine) as session:
        query = session.query(User).order_by(User.id).limit(8)
        if loader == "selectin":
            query = query.options(selectinload(User.orders))
        elif loader == "joined":
            query = query.options(joinedload(User.orders))
        total = 0
        for user in query.all():
            total += len(user.orders)  # BAD with lazy loading: each access = new query
        print(total)
    engine.dispose()


if __name__ == "__main__":
    main()
