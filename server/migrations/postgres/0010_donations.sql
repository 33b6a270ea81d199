-- Donations: campaigns, donations, monthly gifts, provider events and the append-only ledger.
-- Money is integer bani with its currency; idempotency is enforced by unique constraints.
CREATE TABLE donation_campaigns (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    story_md TEXT NOT NULL DEFAULT '',
    cover_url TEXT NOT NULL DEFAULT '',
    cover_alt TEXT NOT NULL DEFAULT '',
    goal_bani BIGINT,
    currency TEXT NOT NULL DEFAULT 'RON',
    ends_at BIGINT,
    presets TEXT NOT NULL DEFAULT '2500,5000,10000,25000',
    min_bani BIGINT NOT NULL DEFAULT 1000,
    max_bani BIGINT NOT NULL DEFAULT 1000000,
    allow_monthly BIGINT NOT NULL DEFAULT 1,
    thanks TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX donation_campaigns_org ON donation_campaigns(org_id);

CREATE TABLE donation_updates (
    id BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES donation_campaigns(id) ON DELETE CASCADE,
    body_md TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX donation_updates_campaign ON donation_updates(campaign_id);

CREATE TABLE donation_gifts (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id BIGINT NOT NULL REFERENCES donation_campaigns(id) ON DELETE CASCADE,
    amount_bani BIGINT NOT NULL,
    fee_bani BIGINT NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT 'RON',
    status TEXT NOT NULL DEFAULT 'pending',
    provider TEXT NOT NULL,
    provider_ref TEXT,
    donor_name TEXT NOT NULL,
    donor_email TEXT NOT NULL,
    show_name BIGINT NOT NULL DEFAULT 0,
    lang TEXT NOT NULL DEFAULT 'ro',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (provider, provider_ref)
);

CREATE TABLE donations (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id BIGINT NOT NULL REFERENCES donation_campaigns(id) ON DELETE CASCADE,
    gift_id BIGINT REFERENCES donation_gifts(id) ON DELETE SET NULL,
    amount_bani BIGINT NOT NULL,
    fee_bani BIGINT NOT NULL DEFAULT 0,
    total_bani BIGINT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'RON',
    monthly BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    provider TEXT NOT NULL,
    provider_ref TEXT,
    payment_ref TEXT,
    idempotency_key TEXT NOT NULL UNIQUE,
    checkout_url TEXT NOT NULL DEFAULT '',
    donor_name TEXT NOT NULL,
    donor_email TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    show_name BIGINT NOT NULL DEFAULT 0,
    hidden BIGINT NOT NULL DEFAULT 0,
    lang TEXT NOT NULL DEFAULT 'ro',
    consent_version TEXT NOT NULL,
    consent_at BIGINT NOT NULL,
    newsletter BIGINT NOT NULL DEFAULT 0,
    ip_hash TEXT NOT NULL DEFAULT '',
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    paid_at BIGINT,
    updated_at BIGINT NOT NULL,
    UNIQUE (provider, provider_ref)
);
CREATE INDEX donations_campaign ON donations(campaign_id, status);
CREATE INDEX donations_payment ON donations(provider, payment_ref);

-- Every verified provider event, once: a duplicate delivery hits the unique key and changes nothing.
CREATE TABLE payment_events (
    id BIGSERIAL PRIMARY KEY,
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    donation_id BIGINT,
    outcome TEXT NOT NULL DEFAULT '',
    received_at BIGINT NOT NULL,
    UNIQUE (provider, event_id)
);

-- Append-only: a gift adds a positive entry, a refund or lost dispute a negative one; nothing is updated.
CREATE TABLE donation_ledger (
    id BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES donation_campaigns(id) ON DELETE CASCADE,
    donation_id BIGINT NOT NULL REFERENCES donations(id) ON DELETE CASCADE,
    entry TEXT NOT NULL,
    amount_bani BIGINT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'RON',
    created_at BIGINT NOT NULL,
    UNIQUE (donation_id, entry)
);
CREATE INDEX donation_ledger_campaign ON donation_ledger(campaign_id, created_at);
CREATE FUNCTION donation_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'donation_ledger is append-only';
END;
$$;
CREATE TRIGGER donation_ledger_append_only BEFORE UPDATE ON donation_ledger
    FOR EACH ROW EXECUTE FUNCTION donation_ledger_append_only();
