-- Accessibility map: places (with their derived rating, so lists and map tiles need no joins),
-- structured audits (JSON mirroring OSM/A11yJSON keys), problem reports, their timeline and photos.
CREATE TABLE map_places (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT 'other',
    address TEXT NOT NULL DEFAULT '',
    locality TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    authority_id INTEGER REFERENCES authorities(id) ON DELETE SET NULL,
    org_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    contact TEXT NOT NULL DEFAULT '',
    osm_id TEXT NOT NULL DEFAULT '',
    rating TEXT NOT NULL DEFAULT 'unknown',
    rating_rank INTEGER NOT NULL DEFAULT 3,
    step_free INTEGER NOT NULL DEFAULT 0,
    has_lift INTEGER NOT NULL DEFAULT 0,
    badge_toilet INTEGER NOT NULL DEFAULT 0,
    badge_blind INTEGER NOT NULL DEFAULT 0,
    badge_deaf INTEGER NOT NULL DEFAULT 0,
    confidence TEXT NOT NULL DEFAULT 'none',
    verified_day INTEGER,
    open_reports INTEGER NOT NULL DEFAULT 0,
    overdue_reports INTEGER NOT NULL DEFAULT 0,
    name_key TEXT NOT NULL DEFAULT '',
    locality_key TEXT NOT NULL DEFAULT '',
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX map_places_lat_lon ON map_places(lat, lon);
CREATE INDEX map_places_locality ON map_places(locality_key);
CREATE INDEX map_places_locality_name ON map_places(locality);
CREATE INDEX map_places_name ON map_places(name_key);
CREATE INDEX map_places_rating ON map_places(rating_rank, name_key);
CREATE INDEX map_places_org ON map_places(org_id);

CREATE TABLE map_audits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place_id INTEGER NOT NULL REFERENCES map_places(id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    checked_day INTEGER NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX map_audits_place ON map_audits(place_id);

CREATE TABLE map_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place_id INTEGER NOT NULL REFERENCES map_places(id) ON DELETE CASCADE,
    problem TEXT NOT NULL,
    description TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new',
    reporter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    registration_no TEXT NOT NULL DEFAULT '',
    registered_day INTEGER,
    due_day INTEGER,
    extended INTEGER NOT NULL DEFAULT 0,
    overdue_notified INTEGER NOT NULL DEFAULT 0,
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX map_reports_place ON map_reports(place_id);
CREATE INDEX map_reports_state_due ON map_reports(state, due_day);

CREATE TABLE map_report_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL REFERENCES map_reports(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor_role TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    to_state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX map_report_events_report ON map_report_events(report_id);

CREATE TABLE map_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place_id INTEGER NOT NULL REFERENCES map_places(id) ON DELETE CASCADE,
    report_id INTEGER REFERENCES map_reports(id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES map_report_events(id) ON DELETE CASCADE,
    key_full TEXT NOT NULL,
    key_thumb TEXT NOT NULL,
    alt TEXT NOT NULL,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX map_photos_place ON map_photos(place_id);
CREATE INDEX map_photos_report ON map_photos(report_id);
