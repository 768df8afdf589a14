-- fundflow's two database roles on a schema-5 database (store/pg/schema.sql).
--
-- __OWNER__ owns every table, sequence and function: only it could alter,
-- drop or disable a trigger.  __APP__ is the role fundflow connects as; it
-- owns nothing, so the triggers and constraints hold against it whatever
-- SQL it sends.  The program replaces both placeholders textually with
-- quoted identifiers and runs this text as the owner (or a superuser),
-- after schema.sql, in one transaction.  Running it again changes nothing.
--
-- The roles themselves are made by the program only when a superuser runs
-- it, for example:
--   CREATE ROLE ff_owner LOGIN PASSWORD '...';
--   CREATE ROLE ff_app LOGIN PASSWORD '...';
--   CREATE DATABASE fundflow OWNER ff_owner;
-- ff_app must not be a member of ff_owner (nor the reverse).

-- Ownership: a no-op when the owner applied schema.sql itself; when a
-- superuser did, hands everything to the owner (identity sequences follow
-- their tables).
ALTER TABLE public.schema_version OWNER TO __OWNER__;
ALTER TABLE public.branch OWNER TO __OWNER__;
ALTER TABLE public.account OWNER TO __OWNER__;
ALTER TABLE public.operator OWNER TO __OWNER__;
ALTER TABLE public.income OWNER TO __OWNER__;
ALTER TABLE public.income_conflict OWNER TO __OWNER__;
ALTER TABLE public.withdrawal OWNER TO __OWNER__;
ALTER TABLE public.ledger OWNER TO __OWNER__;
ALTER TABLE public.activity OWNER TO __OWNER__;
ALTER TABLE public.release_record OWNER TO __OWNER__;
ALTER TABLE public.chain_rehash OWNER TO __OWNER__;
ALTER FUNCTION public.ff_refuse() OWNER TO __OWNER__;
ALTER FUNCTION public.ff_notify_changed() OWNER TO __OWNER__;
ALTER FUNCTION public.ledger_guard() OWNER TO __OWNER__;
ALTER FUNCTION public.account_new_empty() OWNER TO __OWNER__;
ALTER FUNCTION public.account_follows_ledger() OWNER TO __OWNER__;
ALTER FUNCTION public.branch_fixed() OWNER TO __OWNER__;
ALTER FUNCTION public.operator_guard() OWNER TO __OWNER__;
ALTER FUNCTION public.withdrawal_new_pending() OWNER TO __OWNER__;
ALTER FUNCTION public.withdrawal_decide() OWNER TO __OWNER__;

-- Nobody else gets anything by default: no new objects in public, no
-- temporary tables, no table, sequence or function rights through PUBLIC.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
DO $$
BEGIN
  EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC',
                            pg_catalog.current_database());
END;
$$;

-- The app: start from nothing, then exactly what fundflow's statements need.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM __APP__;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM __APP__;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM __APP__;
GRANT USAGE ON SCHEMA public TO __APP__;

-- Read everything.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO __APP__;

-- Add rows to every table but schema_version (the owner's migrations keep
-- it; it has its one row from the start).
GRANT INSERT ON public.branch, public.account, public.operator, public.income,
  public.income_conflict, public.withdrawal, public.ledger, public.activity,
  public.release_record, public.chain_rehash TO __APP__;

-- Change only the columns that change.  An account follows its ledger; an
-- application gets its decision; an operator its password, state, name
-- and four-eyes fields; a branch its name and state.  Nothing may be
-- deleted or truncated, and the append-only tables never change.
GRANT UPDATE (balance, withdrawable, total_withdrawn) ON public.account TO __APP__;
GRANT UPDATE (status, decided_by, decided_at, reason) ON public.withdrawal TO __APP__;
GRANT UPDATE (pwhash, active, name, confirmed_by, alone, must_change,
              awaiting, awaiting_by, awaiting_pwhash) ON public.operator TO __APP__;
GRANT UPDATE (name, active) ON public.branch TO __APP__;

-- Ids drawn from the sequences (nextval, currval); no setval.
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO __APP__;
