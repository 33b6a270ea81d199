-- The public ledger is append-only: no DELETE or TRUNCATE either, corrections are new reversing
-- entries. The references no longer cascade, so deleting a campaign or donation that has ledger
-- entries is refused by the foreign key itself; the trigger catches direct deletes.
ALTER TABLE donation_ledger DROP CONSTRAINT donation_ledger_campaign_id_fkey;
ALTER TABLE donation_ledger ADD CONSTRAINT donation_ledger_campaign_id_fkey
    FOREIGN KEY (campaign_id) REFERENCES donation_campaigns(id) ON DELETE RESTRICT;
ALTER TABLE donation_ledger DROP CONSTRAINT donation_ledger_donation_id_fkey;
ALTER TABLE donation_ledger ADD CONSTRAINT donation_ledger_donation_id_fkey
    FOREIGN KEY (donation_id) REFERENCES donations(id) ON DELETE RESTRICT;
CREATE TRIGGER donation_ledger_no_delete BEFORE DELETE ON donation_ledger
    FOR EACH ROW EXECUTE FUNCTION donation_ledger_append_only();
CREATE TRIGGER donation_ledger_no_truncate BEFORE TRUNCATE ON donation_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION donation_ledger_append_only();
