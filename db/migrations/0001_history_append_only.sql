-- The order history is append-only: UPDATE, DELETE and TRUNCATE are rejected by the database itself.
CREATE FUNCTION order_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'order_history is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_history_no_update_delete BEFORE UPDATE OR DELETE ON order_history
  FOR EACH ROW EXECUTE FUNCTION order_history_append_only();
--> statement-breakpoint
CREATE TRIGGER order_history_no_truncate BEFORE TRUNCATE ON order_history
  FOR EACH STATEMENT EXECUTE FUNCTION order_history_append_only();
