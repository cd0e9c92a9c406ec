-- Polling stations in depth: location, history of the official counts, voters placed on a
-- TPS, ballots received, dapils (reference data) and the readiness checklist.

-- Where the TPS stands (a desa/kelurahan code), an optional name, and a version that every
-- change raises: a form carries the version it was read at, and a stale one is refused.
alter table stations
    add column location_code text
        check (location_code ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$'),
    add column name text check (name is null or btrim(name) <> ''),
    add column version integer not null default 1;

create function bump_version() returns trigger language plpgsql as $$
begin
    new.version := old.version + 1;
    return new;
end;
$$;
create trigger stations_version before update on stations
    for each row execute function bump_version();

-- Every value the official counts took: who set them, when, old and new. Written by a
-- trigger, so no path (page, command line, demo) can change a count without a row here.
-- The writer names itself with `set_config('loksus.user_id' / 'loksus.actor', ..., true)`.
create table station_count_history (
    id          bigint generated always as identity primary key,
    station_id  bigint not null references stations (id) on delete cascade,
    changed_at  timestamptz not null default now(),
    user_id     bigint references users (id),
    actor       text not null,
    dpt_before  integer,
    dptb_before integer,
    dpk_before  integer,
    dpt         integer not null,
    dptb        integer not null,
    dpk         integer not null
);
create index station_count_history_idx on station_count_history (station_id, changed_at);

create function record_station_counts() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT'
       or (new.dpt, new.dptb, new.dpk) is distinct from (old.dpt, old.dptb, old.dpk) then
        insert into station_count_history (station_id, user_id, actor, dpt_before, dptb_before,
                                           dpk_before, dpt, dptb, dpk)
        values (new.id,
                nullif(current_setting('loksus.user_id', true), '')::bigint,
                coalesce(nullif(current_setting('loksus.actor', true), ''), 'sistem'),
                case when tg_op = 'UPDATE' then old.dpt end,
                case when tg_op = 'UPDATE' then old.dptb end,
                case when tg_op = 'UPDATE' then old.dpk end,
                new.dpt, new.dptb, new.dpk);
    end if;
    return null;
end;
$$;
create trigger stations_count_history after insert or update on stations
    for each row execute function record_station_counts();

-- The TPS a voter is placed on (allocation or a manual move). A TPS with voters cannot be
-- deleted until they are moved.
alter table voters
    add column station_id bigint references stations (id),
    add column placed_manually boolean not null default false;
create index voters_station_idx on voters (station_id) where station_id is not null;

-- A voter who leaves the roll, or moves to another facility's roll, leaves their TPS.
create function voters_leave_station() returns trigger language plpgsql as $$
begin
    if new.status = 'departed' or new.facility_id <> old.facility_id then
        new.station_id := null;
        new.placed_manually := false;
    end if;
    return new;
end;
$$;
create trigger voters_leave_station before update on voters
    for each row execute function voters_leave_station();

-- Ballots that arrived at a TPS, per type.
create table station_ballots (
    station_id  bigint not null references stations (id) on delete cascade,
    ballot_type text not null check (ballot_type in ('ppwp', 'dpr', 'dpd', 'dprd_prov',
                    'dprd_kabkota', 'gubernur', 'bupati_walikota')),
    received    integer not null check (received between 0 and 100000),
    user_id     bigint references users (id),
    updated_at  timestamptz not null default now(),
    primary key (station_id, ballot_type)
);

-- Electoral districts, as KPU publishes them: DPR and DPRD Provinsi dapils are sets of
-- kab/kota, DPRD Kab/Kota dapils sets of kecamatan. A region lies in one dapil per contest.
create table dapils (
    id           bigint generated always as identity primary key,
    election_id  bigint not null references elections (id) on delete cascade,
    contest      text not null check (contest in ('dpr', 'dprd_prov', 'dprd_kabkota')),
    code         text not null check (btrim(code) <> '' and length(code) <= 60),
    name         text not null check (btrim(name) <> '' and length(name) <= 200),
    -- Demo dapils made up for illustration rather than taken from KPU's decisions.
    illustrative boolean not null default false,
    unique (election_id, contest, code),
    unique (id, election_id, contest)
);
create table dapil_regions (
    dapil_id    bigint not null,
    election_id bigint not null,
    contest     text not null,
    region_code text not null,
    primary key (election_id, contest, region_code),
    foreign key (dapil_id, election_id, contest)
        references dapils (id, election_id, contest) on delete cascade,
    check (case contest
               when 'dprd_kabkota' then region_code ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$'
               else region_code ~ '^[0-9]{2}\.[0-9]{2}$'
           end)
);
create index dapil_regions_dapil_idx on dapil_regions (dapil_id);

-- The readiness checklist of an election's TPS. `auto` items are not set by hand: the
-- location item follows the TPS's location, the ballot item the ballots received.
create table readiness_items (
    id          bigint generated always as identity primary key,
    election_id bigint not null references elections (id) on delete cascade,
    key         text not null check (key ~ '^[a-z0-9_]+$'),
    label       text not null check (btrim(label) <> '' and length(label) <= 200),
    -- A word or two for the province matrix.
    short_label text not null check (btrim(short_label) <> '' and length(short_label) <= 24),
    required    boolean not null default true,
    auto        text check (auto in ('location', 'ballots')),
    position    integer not null,
    unique (election_id, key)
);

create table station_readiness (
    station_id bigint not null references stations (id) on delete cascade,
    item_id    bigint not null references readiness_items (id) on delete cascade,
    status     text not null check (status in ('belum', 'sebagian', 'siap')),
    note       text check (length(note) <= 500),
    user_id    bigint references users (id),
    actor      text not null,
    updated_at timestamptz not null default now(),
    primary key (station_id, item_id)
);

-- Every election starts with the standard checklist; admins add to it.
create function add_default_readiness_items(election bigint) returns void language sql as $$
    insert into readiness_items (election_id, key, short_label, label, required, auto, position)
    select election, d.key, d.short_label, d.label, true, d.auto, d.position
    from (values
        (1, 'lokasi', 'Lokasi', 'Lokasi TPS ditetapkan', 'location'),
        (2, 'kpps_dibentuk', 'KPPS', 'KPPS terbentuk (7 anggota)', null),
        (3, 'kpps_bimtek', 'Bimtek', 'KPPS sudah mengikuti bimbingan teknis', null),
        (4, 'dpt_diumumkan', 'DPT', 'Salinan DPT diterima dan diumumkan', null),
        (5, 'surat_suara', 'Surat suara', 'Surat suara diterima sesuai kebutuhan (per jenis)', 'ballots'),
        (6, 'kotak_suara', 'Kotak', '5 kotak suara', null),
        (7, 'bilik_suara', 'Bilik', 'Bilik suara', null),
        (8, 'perlengkapan', 'Perlengkapan', 'Tinta, segel, alat coblos dan formulir', null),
        (9, 'keamanan', 'Keamanan', 'Pengamanan: petugas, Linmas, koordinasi kepolisian', null),
        (10, 'listrik', 'Listrik', 'Listrik dan penerangan', null),
        (11, 'akses_disabilitas', 'Akses', 'Akses bagi pemilih penyandang disabilitas', null),
        (12, 'rencana_bencana', 'Bencana', 'Rencana banjir dan bencana untuk penyimpanan surat suara', null)
    ) as d (position, key, short_label, label, auto);
$$;

create function add_default_readiness_items_trigger() returns trigger language plpgsql as $$
begin
    perform add_default_readiness_items(new.id);
    return null;
end;
$$;
create trigger elections_readiness_items after insert on elections
    for each row execute function add_default_readiness_items_trigger();
select add_default_readiness_items(id) from elections;
