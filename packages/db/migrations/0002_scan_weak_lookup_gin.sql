-- Lower-cased e-mails of a customer, for the GIN index the scanner's role-mailbox lookup uses.
CREATE OR REPLACE FUNCTION crm_lower_emails(emails text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(lower(e)), '{}') FROM unnest(emails) AS e $$;--> statement-breakpoint
CREATE INDEX "customers_phones_gin" ON "customers" USING gin ("phones" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "customers_emails_lower_gin" ON "customers" USING gin (crm_lower_emails("emails"));