-- 0005's partial index of unapplied payments changed the customer view's plan for its
-- payments (p99 at 10 connections 18 → 21–25 ms in npm run bench) and bought ingestion
-- nothing measurable: the pending-payment probe uses payments_out_trade_no_idx again.
DROP INDEX "payments_pending_idx";
