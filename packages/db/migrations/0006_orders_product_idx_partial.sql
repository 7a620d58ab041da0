DROP INDEX "orders_product_idx";--> statement-breakpoint
CREATE INDEX "orders_product_idx" ON "orders" USING btree ("tenant_id","product_id") WHERE "orders"."product_id" is not null;