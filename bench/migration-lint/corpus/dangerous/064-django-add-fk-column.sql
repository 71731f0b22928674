-- Django AddField with a ForeignKey: the constraint validates against customers at once
ALTER TABLE "orders" ADD COLUMN "customer_id" bigint NULL CONSTRAINT "orders_customer_id_fk" REFERENCES "customers"("id") DEFERRABLE INITIALLY DEFERRED;
