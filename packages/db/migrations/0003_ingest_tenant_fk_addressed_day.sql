ALTER TABLE "chat_messages" DROP CONSTRAINT "chat_messages_tenant_id_tenants_tenant_id_fk";
--> statement-breakpoint
ALTER TABLE "tickets" DROP CONSTRAINT "tickets_tenant_id_tenants_tenant_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_tenant_id_tenants_tenant_id_fk";
--> statement-breakpoint
CREATE INDEX "orders_addressed_day_idx" ON "orders" USING btree ("tenant_id","ordered_at") WHERE "orders"."ship_address" is not null;