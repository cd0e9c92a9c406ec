-- Voting day and after (issue 15): turnout per TPS, ballot accounting, incidents, the ASN
-- neutrality briefing. Every entry is kept: a new save is a new row, the latest one counts.

-- Turnout per TPS, entered during the day by the facility or the kanwil.
create table turnout_reports (
    id          bigint generated always as identity primary key,
    station_id  bigint not null references stations (id) on delete cascade,
    voted_dpt   integer not null check (voted_dpt >= 0),
    voted_dptb  integer not null check (voted_dptb >= 0),
    voted_dpk   integer not null check (voted_dpk >= 0),
    voted_men   integer not null check (voted_men >= 0),
    voted_women integer not null check (voted_women >= 0),
    check (voted_men + voted_women = voted_dpt + voted_dptb + voted_dpk),
    user_id     bigint references users (id),
    actor       text not null,
    reported_at timestamptz not null default now()
);
create index turnout_reports_station_idx on turnout_reports (station_id, reported_at desc, id desc);

-- Ballot accounting per TPS and ballot type after closing.
create table ballot_accounts (
    id          bigint generated always as identity primary key,
    station_id  bigint not null references stations (id) on delete cascade,
    ballot_type text not null check (ballot_type in ('ppwp', 'dpr', 'dpd', 'dprd_prov',
                    'dprd_kabkota', 'gubernur', 'bupati_walikota')),
    received    integer not null check (received between 0 and 100000),
    used        integer not null check (used between 0 and 100000),
    damaged     integer not null check (damaged between 0 and 100000),
    unused      integer not null check (unused between 0 and 100000),
    user_id     bigint references users (id),
    actor       text not null,
    recorded_at timestamptz not null default now()
);
create index ballot_accounts_station_idx on ballot_accounts (station_id, ballot_type, recorded_at desc, id desc);

-- Incidents per facility (and TPS): security and order, flood/fire/disaster, missing or
-- damaged material, ASN neutrality, campaigning inside, a voter turned away or given the
-- wrong ballot, other. Pages and forms use the Indonesian words (kamtib, bencana, logistik,
-- netralitas, kampanye, pemilih, lainnya; info, perhatian, darurat; terbuka, ditangani,
-- selesai).
create table incidents (
    id          bigint generated always as identity primary key,
    election_id bigint not null references elections (id) on delete cascade,
    facility_id bigint not null references facilities (id) on delete cascade,
    station_id  bigint references stations (id) on delete set null,
    category    text not null check (category in ('security', 'disaster', 'logistics',
                    'neutrality', 'campaigning', 'voters', 'other')),
    severity    text not null check (severity in ('info', 'attention', 'emergency')),
    status      text not null default 'open' check (status in ('open', 'handling', 'closed')),
    occurred_at timestamptz not null,
    description text not null check (btrim(description) <> '' and length(description) <= 2000),
    user_id     bigint references users (id),
    actor       text not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index incidents_open_idx on incidents (election_id, facility_id) where status <> 'closed';
create trigger incidents_updated_at before update on incidents
    for each row execute function set_updated_at();

-- Every status change of an incident, with a note.
create table incident_history (
    id          bigint generated always as identity primary key,
    incident_id bigint not null references incidents (id) on delete cascade,
    status      text not null check (status in ('open', 'handling', 'closed')),
    note        text check (length(note) <= 2000),
    user_id     bigint references users (id),
    actor       text not null,
    changed_at  timestamptz not null default now()
);
create index incident_history_incident_idx on incident_history (incident_id, changed_at);

-- The ASN neutrality briefing of a facility's staff for an election.
create table neutrality_briefings (
    election_id bigint not null references elections (id) on delete cascade,
    facility_id bigint not null references facilities (id) on delete cascade,
    held_on     date not null,
    staff       integer not null check (staff between 1 and 100000),
    user_id     bigint references users (id),
    actor       text not null,
    recorded_at timestamptz not null default now(),
    primary key (election_id, facility_id)
);
