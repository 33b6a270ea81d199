-- The public ledger is append-only: no DELETE either, corrections are new reversing entries.
-- SQLite cannot change a foreign key without rebuilding the table, but a RAISE in a BEFORE DELETE
-- trigger also fires for rows an ON DELETE CASCADE would remove, so deleting a campaign, donation
-- or organisation that has ledger entries fails as a whole instead of wiping them.
CREATE TRIGGER donation_ledger_no_delete BEFORE DELETE ON donation_ledger
BEGIN
    SELECT RAISE(ABORT, 'donation_ledger is append-only');
END;
